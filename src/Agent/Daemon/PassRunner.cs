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
/// systemd's STATUS= line.
/// </summary>
internal sealed class PassRunner(AgentServices services, AgentMetrics metrics, WebhookNotifier? notifier, ISystemdNotifier systemd, TimeProvider time)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<PassReport> RunAsync(PassRequest request, CancellationToken cancellationToken)
    {
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
