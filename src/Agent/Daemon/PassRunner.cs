using Microsoft.Extensions.Hosting.Systemd;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Notifications;
using UpdateAgent.Core.Observability;
using UpdateAgent.Hosting;

namespace UpdateAgent.Daemon;

/// <summary>
/// Runs passes for the daemon, one at a time whether the tick loop or an API caller asks, under
/// the update lock that commands run outside the daemon also take. Feeds metrics, the webhook and
/// systemd's STATUS= line. <c>stopping</c> is cancelled when the daemon stops: a pass an API
/// caller asked for then finishes or rolls back its step like the daemon's own.
/// </summary>
internal sealed class PassRunner(AgentServices services, AgentMetrics metrics, WebhookNotifier? notifier, ISystemdNotifier systemd, TimeProvider time,
    CancellationToken stopping = default)
{
    /// <summary>What a caller is told while the daemon resolves an interrupted update.</summary>
    public const string RecoveringMessage = "the daemon is recovering an interrupted update; try again when it is done (journalctl -u update-agent)";

    private readonly SemaphoreSlim _one = new(1, 1);
    private volatile bool _recovering = true;

    /// <summary>Whether the start-up recovery is still running (true until it has finished once).</summary>
    public bool Recovering => _recovering;

    /// <summary>
    /// Resolves updates a previous run left unfinished, under the same lock as a pass, so no
    /// command or API call can update units meanwhile; until it ends, a pass is refused with
    /// <see cref="RecoveringMessage"/>.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await TimeoutExtender.RunAsync(systemd, time, async () =>
            {
                using var updateLock = await WaitForLockAsync(cancellationToken).ConfigureAwait(false);
                Status("resolving interrupted updates");
                await services.Recovery.ResolveAsync(cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            _recovering = false;
            _one.Release();
        }
    }

    // A command run by hand may hold the lock for its pass; the daemon waits for it rather than fail to start.
    private async Task<UpdateLock> WaitForLockAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (UpdateLock.TryAcquire(services.Settings.StateDirectory) is { } taken)
            {
                return taken;
            }
            Status($"waiting for the update lock {UpdateLock.PathIn(services.Settings.StateDirectory)}, held by a command");
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<PassReport> RunAsync(PassRequest request, CancellationToken cancellationToken)
    {
        if (_recovering)
        {
            throw new InvalidOperationException(RecoveringMessage);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        cancellationToken = linked.Token;
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var updateLock = UpdateLock.TryAcquire(services.Settings.StateDirectory)
                ?? throw new InvalidOperationException($"another update runs (lock {UpdateLock.PathIn(services.Settings.StateDirectory)} is held by a command)");
            Status($"checking {(request.Units is { Count: > 0 } u ? string.Join(", ", u) : "all units")}{(request.DryRun ? " (dry run)" : "")}");
            var before = services.History.UnitChecks().ToDictionary(c => c.Unit, c => (c.Status, c.RunningDigest, c.RemoteDigest), StringComparer.Ordinal);
            var report = await services.Engine.RunPassAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.Record(report, time.GetUtcNow());
            // A standing condition (refused, unverified, unmanageable) is news once: when the status or a digest changes.
            var news = report.Units
                .Where(r => !before.TryGetValue(r.Unit, out var last) || last != (r.Status, r.RunningDigest, r.Candidate))
                .Select(r => r.Unit).ToHashSet(StringComparer.Ordinal);
            notifier?.Notify(report, news);
            if (services.Settings.MetricsTextfileDirectory is { } directory)
            {
                metrics.WriteTextfile(directory, services.History.QuarantineList().Count);
            }
            Status($"idle; last pass {time.GetUtcNow():HH:mm:ss}Z: {report.Summary}");
            return report;
        }
        finally
        {
            _one.Release();
        }
    }

    public void Status(string line) => systemd.Notify(new ServiceState("STATUS=" + line.Replace('\n', ' ')));
}
