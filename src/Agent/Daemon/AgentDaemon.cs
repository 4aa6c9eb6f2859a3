using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.Scheduling;
using UpdateAgent.Hosting;

namespace UpdateAgent.Daemon;

/// <summary>
/// The daemon's work. Starting (before systemd hears READY=1): resolve updates a previous run left
/// unfinished, and discover the units once. Then the tick loop: a pass per interval with jitter,
/// updating only inside maintenance windows (outside them a pass only checks). At start and before
/// each pass it warns while another updater (podman-auto-update.timer) is on.
/// </summary>
internal sealed partial class AgentDaemon(AgentServices services, PassRunner runner, OtherUpdaterWarning otherUpdaters, ILogger<AgentDaemon> logger, TimeProvider time)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        runner.Status("resolving interrupted updates");
        await services.Recovery.ResolveAsync(cancellationToken).ConfigureAwait(false);
        runner.Status("discovering units");
        var found = await services.Podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
        Ready(logger, found.Units.Count, found.Problems.Count);
        await otherUpdaters.WarnAsync(cancellationToken).ConfigureAwait(false);
        runner.Status($"{found.Units.Count} units managed; first pass starting");
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loop = new TickLoop(services.Settings.Schedule, time, Random.Shared);
        return loop.RunAsync(
            async (mayUpdate, token) =>
            {
                await otherUpdaters.WarnAsync(token).ConfigureAwait(false);
                await runner.RunAsync(new PassRequest(DryRun: !mayUpdate), token).ConfigureAwait(false);
            },
            e => PassFailed(logger, e.Message),
            stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Stopping(logger);
        runner.Status("stopping: finishing or rolling back the current step");
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1110, EventName = "DaemonReady", Level = LogLevel.Information, Message = "ready: {UNITS} units managed, {PROBLEMS} containers not manageable")]
    private static partial void Ready(ILogger logger, int UNITS, int PROBLEMS);

    [LoggerMessage(EventId = 1111, EventName = "DaemonStopping", Level = LogLevel.Information, Message = "stopping")]
    private static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 1001, EventName = "PassFinished", Level = LogLevel.Error, Message = "pass failed: {REASON}")]
    private static partial void PassFailed(ILogger logger, string REASON);
}
