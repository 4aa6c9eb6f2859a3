using System.CommandLine;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Hosting;
using UpdateAgent.Json;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent check [--dry-run] [UNIT…]</c>: one pass now, in this process — first resolving
/// any update a killed agent left unfinished, then checking (and, without <c>--dry-run</c>,
/// updating) each unit. Exit 0 when no unit failed, 4 when one failed or was rolled back.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var units = new Argument<string[]>("unit") { Description = "Units to check (default: every managed unit)", Arity = ArgumentArity.ZeroOrMore };
        var dryRun = new Option<bool>("--dry-run") { Description = "Verify and report only: pull, tag and restart nothing" };
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var command = new Command("check", "Check every managed unit now and move those whose new digest is signed, blessed, from the right source and not older; roll back what fails its health gate")
        {
            units, dryRun, config, json,
        };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(units) ?? [], parse.GetValue(dryRun), parse.GetValue(config), parse.GetValue(json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, token));
        return command;
    }

    private static async Task<int> RunAsync(string[] units, bool dryRun, string? configFile, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = AgentContext.Load(configFile, needPolicy: true);
        if (!context.Succeeded)
        {
            return context.Fail("check", error);
        }
        using var loggers = AgentContext.Loggers(verbose: false);
        using var updateLock = UpdateLock.TryAcquire(context.Settings.StateDirectory);
        if (updateLock is null)
        {
            await error.WriteLineAsync($"update-agent check: another update runs (lock {UpdateLock.PathIn(context.Settings.StateDirectory)} is held); try again later").ConfigureAwait(false);
            return ExitCodes.Busy;
        }
        AgentServices services;
        try
        {
            services = await AgentServices.CreateAsync(context.Settings, context.Policy!, loggers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UpdateAgent.DBus.DBusConnectionClosedException or FormatException or IOException)
        {
            await error.WriteLineAsync($"update-agent check: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        await using (services.ConfigureAwait(false))
        {
            PassReport report;
            try
            {
                if (!dryRun)
                {
                    await services.Recovery.ResolveAsync(cancellationToken).ConfigureAwait(false);
                }
                report = await services.Engine.RunPassAsync(new PassRequest(dryRun, units), cancellationToken).ConfigureAwait(false);
            }
            catch (UpdateAgent.Podman.PodmanException e)
            {
                await error.WriteLineAsync($"update-agent check: podman: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }
            var missing = units.Where(u => report.Units.All(r => r.Unit != u)).ToList();
            foreach (var unit in missing)
            {
                await error.WriteLineAsync($"update-agent check: {unit} is not a managed unit (no running container labelled io.containers.autoupdate with PODMAN_SYSTEMD_UNIT={unit})").ConfigureAwait(false);
            }
            if (json)
            {
                await output.WriteAsync(CliJson.Write(new CheckDocument(report.Units, report.DistinctImages, report.Duration.TotalSeconds, services.Registry.RequestCount, report.Summary), CliJsonContext.Default.CheckDocument)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(Tables.Check(report)).ConfigureAwait(false);
            }
            if (missing.Count > 0)
            {
                return ExitCodes.UsageError;
            }
            return report.Units.Any(u => u.Status is UpdateStatus.Failed or UpdateStatus.RolledBack) ? ExitCodes.UnitFailed : ExitCodes.Ok;
        }
    }
}
