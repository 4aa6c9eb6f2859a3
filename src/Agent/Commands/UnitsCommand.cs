using System.CommandLine;
using UpdateAgent.Hosting;
using UpdateAgent.Podman;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent units</c>: the units podman runs with an auto-update label, as discovery sees them
/// now; with <c>--migration</c>, what update-agent will do with each (see <see cref="UnitsMigration"/>).
/// </summary>
internal static class UnitsCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var migration = new Option<bool>("--migration")
        {
            Description = "For every unit podman auto-update manages here (root's and each rootless user's), say what update-agent will do with it — " +
                "managed, needs a policy rule (and which), unmanageable (and why), not managed (rootless) — and list every podman-auto-update.timer still on",
        };
        var json = CommonOptions.Json();
        var command = new Command("units", "List the units whose containers carry io.containers.autoupdate and PODMAN_SYSTEMD_UNIT, and containers that cannot be managed") { config, migration, json };
        command.SetAction(async (parse, token) =>
        {
            var context = AgentContext.Load(parse.GetValue(config), needPolicy: parse.GetValue(migration));
            if (!context.Succeeded)
            {
                return context.Fail("units", parse.InvocationConfiguration.Error);
            }
            if (parse.GetValue(migration))
            {
                return await UnitsMigration.RunAsync(context, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, token).ConfigureAwait(false);
            }
            using var podman = new PodmanClient(new PodmanClientOptions { SocketPath = context.Settings.PodmanSocket });
            DiscoveryResult found;
            try
            {
                found = await podman.DiscoverUnitsAsync(token).ConfigureAwait(false);
            }
            catch (PodmanException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"update-agent units: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }
            var output = parse.InvocationConfiguration.Output;
            await output.WriteAsync(Tables.Render(["UNIT", "POLICY", "IMAGE", "CONTAINERS", "RUNNING"],
                found.Units.Select(u => new[] { u.UnitName, u.Policy.ToString().ToLowerInvariant(), u.ImageReference, string.Join(",", u.Containers.Select(c => c.Name)), Tables.Short(u.RepoDigests.FirstOrDefault()?.Split('@').Last() ?? u.ImageId) }).ToList())).ConfigureAwait(false);
            foreach (var problem in found.Problems)
            {
                await output.WriteLineAsync($"not managed: {problem.Subject}: {problem.Message}").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
