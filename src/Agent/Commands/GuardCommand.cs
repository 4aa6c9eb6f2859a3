using UpdateAgent.Core;
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
        if (!File.Exists(context.Settings.HistoryPath))
        {
            // A fresh install has verified nothing yet; blocking every unit would turn installing the agent into an outage.
            await output.WriteLineAsync($"update-agent guard: no history store yet ({context.Settings.HistoryPath}); starting {unit} as it is").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        // A unit that runs several images has a verified digest per image: each must hold.
        List<(string Key, LedgerEntry Expected, List<(string Digest, string ImageId)> InFlight)> checks;
        try
        {
            using var history = HistoryStore.Open(context.Settings.HistoryPath);
            var unfinished = history.Unfinished();
            checks = history.LedgerKeysOf(unit)
                .Select(key => (Key: key, Expected: history.CurrentVerified(key)!,
                    InFlight: unfinished.Where(r => r.Unit == key).SelectMany(r => InFlight(r, history.Pending(r.Id))).ToList()))
                .Where(c => c.Expected is not null)
                .ToList();
        }
        catch (HistoryStoreException e)
        {
            // Fail closed, with the daemon's own words for the store.
            await error.WriteLineAsync($"update-agent guard: refusing to start {unit}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Fail closed: a store that cannot be read cannot say what was verified.
            await error.WriteLineAsync($"update-agent guard: refusing to start {unit}: the history store {context.Settings.HistoryPath} cannot be read ({e.Message})").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
        if (checks.Count == 0)
        {
            await output.WriteLineAsync($"update-agent guard: {unit} has no verified digest yet; starting it as it is (update-agent reports it until it runs one)").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        using var podman = new PodmanClient(new PodmanClientOptions { SocketPath = context.Settings.PodmanSocket });
        foreach (var (key, expected, inFlight) in checks)
        {
            if (!await AllowsAsync(podman, unit, key, expected, inFlight, output, error, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.Refused;
            }
        }
        return ExitCodes.Ok;
    }

    /// <summary>Whether the local tag of one verified image of <paramref name="unit"/> names that image (or one in flight); says why not.</summary>
    private static async Task<bool> AllowsAsync(PodmanClient podman, string unit, string key, LedgerEntry expected, List<(string Digest, string ImageId)> inFlight,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var image = expected.Image;
        LocalTag? local;
        try
        {
            local = await podman.ReadLocalTagAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanException e)
        {
            await error.WriteLineAsync($"update-agent guard: cannot read {image}: {e.Message}; refusing to start {unit}").ConfigureAwait(false);
            return false;
        }
        var found = local?.Digests ?? [];
        var runsExpected = local is not null && expected.IsRunBy(local.ImageId, found);
        var runsInFlight = local is not null && inFlight.Any(f => (f.Digest.Length > 0 && found.Contains(f.Digest)) || (f.ImageId.Length > 0 && f.ImageId == local.ImageId));
        if (runsExpected || runsInFlight)
        {
            await output.WriteLineAsync($"update-agent guard: {unit} starts {image}@{(runsExpected ? expected.PlatformDigest : found.FirstOrDefault())}, {(runsExpected ? "the digest update-agent verified" : "an update in flight")}").ConfigureAwait(false);
            return true;
        }
        var journal = Logging.CreateJournalLogger();
        using (var loggers = Logging.Factory(journal))
        {
            Refused(loggers.CreateLogger("update-agent.guard"), unit, image, found.FirstOrDefault() ?? "(none)", expected.Digest);
        }
        ((IDisposable)journal).Dispose();
        await error.WriteLineAsync($"update-agent guard: refusing to start {unit}: {image} is {found.FirstOrDefault() ?? "not present"} locally, but update-agent last verified {expected.Digest}; run 'update-agent rollback {key}' or verify and check the image").ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// What an unfinished update may start: its candidate (index and platform manifest) and, while
    /// rolling back, the image it came from — except a restore's, which is the unverified image.
    /// </summary>
    private static IEnumerable<(string Digest, string ImageId)> InFlight(UpdateRecord record, LedgerEntry? pending)
    {
        yield return (record.ToDigest, "");
        if (pending is not null)
        {
            yield return (pending.PlatformDigest, pending.ImageId);
        }
        if (record.Verdict != UpdateAgent.Core.Engine.UpdateMachine.RestoreVerdict)
        {
            yield return (record.FromDigest, record.PreviousImageId);
        }
    }

    [LoggerMessage(EventId = (int)AgentEvent.GuardRefused, EventName = nameof(AgentEvent.GuardRefused), Level = LogLevel.Error, Message = "refused to start {UNIT}: local {IMAGE} is {FROM_DIGEST:short}, update-agent last verified {TO_DIGEST:short}")]
    private static partial void Refused(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST);
}
