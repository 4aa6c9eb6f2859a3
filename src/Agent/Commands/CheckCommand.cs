using System.CommandLine;
using UpdateAgent.Api;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Hosting;
using UpdateAgent.Json;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent check [--dry-run] [--format table|json|podman|podman-table] [UNIT…]</c>: one pass now, in this process — first resolving
/// any update a killed agent left unfinished, then checking (and, without <c>--dry-run</c>,
/// updating) each unit. Exit 0 when no unit failed, 4 when one failed or was rolled back, 6 when one runs an unverified image or is unmanageable.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var units = new Argument<string[]>("unit") { Description = "Units to check (default: every managed unit)", Arity = ArgumentArity.ZeroOrMore };
        var dryRun = new Option<bool>("--dry-run") { Description = "Verify and report only: pull, tag and restart nothing" };
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var format = new Option<string>("--format")
        {
            Description = "Output: table (default), json (as --json), podman (the JSON of 'podman auto-update --format json', one object per container; " +
                "Updated is true, false, pending, failed or rolled back — refused, quarantined, undecided, unverified and unmanageable are 'failed', held is 'false' — " +
                "and Status carries update-agent's own word) or podman-table (podman's UNIT CONTAINER IMAGE POLICY UPDATED table)",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", PodmanFormat.Json, PodmanFormat.Table);
        var command = new Command("check", "Check every managed unit now and move those whose new digest is signed, blessed, from the right source and not older; roll back what fails its health gate")
        {
            units, dryRun, config, json, format,
        };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(units) ?? [], parse.GetValue(dryRun), parse.GetValue(config),
            parse.GetValue(json) ? "json" : parse.GetValue(format) ?? "table",
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, token));
        return command;
    }

    private static async Task<int> RunAsync(string[] units, bool dryRun, string? configFile, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = AgentContext.Load(configFile, needPolicy: true);
        if (!context.Succeeded)
        {
            return context.Fail("check", error);
        }
        var viaDaemon = await TryDaemonAsync(context.Settings.ApiSocket, units, dryRun, format, output, error, cancellationToken).ConfigureAwait(false);
        if (viaDaemon is { } code)
        {
            return code;
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
        catch (Exception e) when (e is UpdateAgent.Systemd.SystemdConnectionException or FormatException or IOException)
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
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped (SIGTERM) in a step that changes nothing: the pass ends there, with no report.
                // An update already under way was finished or undone first; units earlier in the pass
                // may have moved, so the line points at where each unit is rather than claiming none did.
                await error.WriteLineAsync("update-agent check: stopped; the pass ended before its report. Every update it began was finished or undone: 'update-agent status' and 'update-agent history' show each unit").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }
            var missing = units.Where(u => report.Units.All(r => r.Unit != u)).ToList();
            foreach (var unit in missing)
            {
                await error.WriteLineAsync($"update-agent check: {unit} is not a managed unit (no running container labelled io.containers.autoupdate with PODMAN_SYSTEMD_UNIT={unit})").ConfigureAwait(false);
            }
            await output.WriteAsync(Render(format, report,
                () => CliJson.Write(new CheckDocument(report.Units, report.DistinctImages, report.Duration.TotalSeconds, services.Registry.RequestCount, report.Summary), CliJsonContext.Default.CheckDocument))).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                return ExitCodes.UsageError;
            }
            return ExitCode(report.Units);
        }
    }

    private static string Render(string format, PassReport report, Func<string> json) => format switch
    {
        "json" => json(),
        PodmanFormat.Json => PodmanFormat.WriteJson(report.Units),
        PodmanFormat.Table => PodmanFormat.WriteTable(report.Units),
        _ => Tables.Check(report),
    };

    /// <summary>
    /// The worst of the pass, for scripts: a failure, then what runs unverified, then a candidate
    /// nobody could decide on (a registry down, a verifier that could not finish): a check that
    /// could not look is not a check that found nothing.
    /// </summary>
    internal static int ExitCode(IReadOnlyCollection<UnitReport> units) =>
        units.Any(u => u.Status is UnitStatus.Failed or UnitStatus.RolledBack) ? ExitCodes.UnitFailed
        : units.Any(u => u.Status is UnitStatus.Unverified or UnitStatus.Unmanageable) ? ExitCodes.NotVerified
        : units.Any(u => u.Status is UnitStatus.Undecided) ? ExitCodes.Unavailable
        : ExitCodes.Ok;

    // When the daemon runs, it does the pass: the two never update at once.
    private static async Task<int?> TryDaemonAsync(string socket, string[] units, bool dryRun, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var query = "/v1/check?dry_run=" + (dryRun ? "true" : "false") + string.Concat(units.Select(u => "&unit=" + Uri.EscapeDataString(u)));
        string? body;
        try
        {
            body = await ApiClient.TrySendAsync(socket, HttpMethod.Post, query, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRefusedException e) when (e.Status == 409)
        {
            // The daemon is busy (recovering, or a command holds the lock): it never means "do it here instead".
            await error.WriteLineAsync($"update-agent check: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Busy;
        }
        catch (ApiRefusedException e) when (e.Status == 503)
        {
            await error.WriteLineAsync($"update-agent check: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (ApiRefusedException e)
        {
            await error.WriteLineAsync($"update-agent check: the daemon refused: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        if (body is null)
        {
            return null;
        }
        var document = System.Text.Json.JsonSerializer.Deserialize(body, CliJsonContext.Default.CheckDocument)!;
        await output.WriteAsync(Render(format, new PassReport(document.Units, document.DistinctImages, TimeSpan.FromSeconds(document.Seconds)), () => body)).ConfigureAwait(false);
        return ExitCode(document.Units);
    }
}
