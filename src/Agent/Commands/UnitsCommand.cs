using System.CommandLine;
using UpdateAgent.Hosting;
using UpdateAgent.Podman;

namespace UpdateAgent.Commands;

/// <summary><c>update-agent units</c>: the units podman runs with an auto-update label, as discovery sees them now.</summary>
internal static class UnitsCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var command = new Command("units", "List the units whose containers carry io.containers.autoupdate and PODMAN_SYSTEMD_UNIT, and containers that cannot be managed") { config };
        command.SetAction(async (parse, token) =>
        {
            var context = AgentContext.Load(parse.GetValue(config), needPolicy: false);
            if (!context.Succeeded)
            {
                return context.Fail("units", parse.InvocationConfiguration.Error);
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
