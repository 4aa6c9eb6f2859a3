using System.CommandLine;
using Microsoft.Extensions.Logging;
using UpdateAgent.Core.History;
using UpdateAgent.Hosting;
using UpdateAgent.Podman;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent guard UNIT</c>, run as the unit's <c>ExecStartPre=</c>: refuses (exit 1, with a
/// journal entry) to start a unit whose local image is not the digest update-agent last verified
/// for it — so a redeploy or reboot cannot start a stale <c>:latest</c> that arrived another way.
/// Digests of an update in flight (the candidate, or the image being rolled back to) pass.
/// </summary>
internal static partial class GuardCommand
{
    public static Command Create()
    {
        var unit = new Argument<string>("unit") { Description = "The unit about to start (%n in the drop-in)" };
        var config = CommonOptions.Config();
        var command = new Command("guard", "Refuse to start a unit whose local image is not the digest update-agent last verified (for ExecStartPre=)") { unit, config };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(unit)!, parse.GetValue(config), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, token));
        return command;
    }

    private static async Task<int> RunAsync(string unit, string? configFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = AgentContext.Load(configFile, needPolicy: false);
        if (!context.Succeeded)
        {
            return context.Fail("guard", error);
        }
        using var history = HistoryStore.Open(context.Settings.HistoryPath);
        var expected = history.LastCommittedDigest(unit);
        var image = history.UnitChecks().FirstOrDefault(c => c.Unit == unit)?.Image;
        if (expected is null || image is null)
        {
            await output.WriteLineAsync($"update-agent guard: {unit} has no verified digest yet; starting it as it is").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var allowed = new HashSet<string>(StringComparer.Ordinal) { expected };
        foreach (var inFlight in history.Unfinished().Where(r => r.Unit == unit))
        {
            allowed.Add(inFlight.ToDigest);
            allowed.Add(inFlight.FromDigest);
        }
        using var podman = new PodmanClient(new PodmanClientOptions { SocketPath = context.Settings.PodmanSocket });
        LocalTag? local;
        try
        {
            local = await podman.ReadLocalTagAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanException e)
        {
            await error.WriteLineAsync($"update-agent guard: cannot read {image}: {e.Message}; refusing to start {unit}").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
        var found = local?.Digests ?? [];
        if (found.Any(allowed.Contains))
        {
            await output.WriteLineAsync($"update-agent guard: {unit} starts {image}@{expected}, the digest update-agent verified").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var journal = Logging.CreateJournalLogger();
        using (var loggers = Logging.Factory(journal))
        {
            Refused(loggers.CreateLogger("update-agent.guard"), unit, image, found.FirstOrDefault() ?? "(none)", expected);
        }
        ((IDisposable)journal).Dispose();
        await error.WriteLineAsync($"update-agent guard: refusing to start {unit}: {image} is {found.FirstOrDefault() ?? "not present"} locally, but update-agent last verified {expected}; run 'update-agent rollback {unit}' or verify and check the image").ConfigureAwait(false);
        return ExitCodes.Refused;
    }

    [LoggerMessage(EventId = 1090, EventName = "GuardRefused", Level = LogLevel.Error, Message = "refused to start {UNIT}: local {IMAGE} is {FROM_DIGEST}, update-agent last verified {TO_DIGEST}")]
    private static partial void Refused(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST);
}
