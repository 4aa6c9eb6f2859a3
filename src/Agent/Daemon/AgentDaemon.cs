using UpdateAgent.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.Scheduling;
using UpdateAgent.Hosting;

namespace UpdateAgent.Daemon;

/// <summary>
/// The daemon's work. Starting (before systemd hears READY=1, with the API already answering):
/// resolve updates a previous run left unfinished, under the update lock — the API tells callers
/// it is recovering meanwhile — and discover the units once. Then the tick loop: a pass per
/// interval with jitter, updating only inside maintenance windows (outside them a pass only
/// checks). At start and before each pass it warns while another updater (podman-auto-update.timer)
/// is on. Stopping lets the step in progress finish or roll back, asking systemd for the time.
/// </summary>
internal sealed partial class AgentDaemon(AgentServices services, PassRunner runner, OtherUpdaterWarning otherUpdaters, ISystemdNotifier systemd,
    ApiSocketAccess socketAccess, ILogger<AgentDaemon> logger, TimeProvider time)
    : BackgroundService, IHostedLifecycleService
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IAsyncDisposable? _askingForTime;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Every StartAsync has returned, so the API socket listens; READY=1 follows once this returns.
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        socketAccess.Apply();
        await runner.RecoverAsync(cancellationToken).ConfigureAwait(false);
        runner.Status("discovering units");
        var found = await services.Podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
        Ready(logger, found.Units.Count, found.Problems.Count);
        await otherUpdaters.WarnAsync(cancellationToken).ConfigureAwait(false);
        runner.Status($"{found.Units.Count} units managed; first pass starting");
        _started.TrySetResult();
    }

    // From the first moment of a stop (before the API and the pass are told) until the host has
    // stopped, systemd is asked for time: the step in progress finishes or rolls back whatever
    // TimeoutStopSec= says, and a daemon that hangs stops asking.
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        Stopping(logger);
        runner.Status("stopping: finishing or rolling back the current step");
        _askingForTime ??= TimeoutExtender.Start(systemd, time);
        return Task.CompletedTask;
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_askingForTime is { } asking)
        {
            await asking.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits for recovery and discovery, which run once the API listens.
        await _started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        var loop = new TickLoop(services.Settings.Schedule, time, Random.Shared);
        await loop.RunAsync(
            async (mayUpdate, token) =>
            {
                await otherUpdaters.WarnAsync(token).ConfigureAwait(false);
                await runner.RunAsync(new PassRequest(DryRun: !mayUpdate), token).ConfigureAwait(false);
            },
            e => PassFailed(logger, e.Message),
            stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = (int)AgentEvent.DaemonReady, EventName = nameof(AgentEvent.DaemonReady), Level = LogLevel.Information, Message = "ready: {UNITS} units managed, {PROBLEMS} containers not manageable")]
    private static partial void Ready(ILogger logger, int UNITS, int PROBLEMS);

    [LoggerMessage(EventId = (int)AgentEvent.DaemonStopping, EventName = nameof(AgentEvent.DaemonStopping), Level = LogLevel.Information, Message = "stopping")]
    private static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = (int)AgentEvent.PassFinished, EventName = nameof(AgentEvent.PassFinished), Level = LogLevel.Error, Message = "pass failed: {REASON}")]
    private static partial void PassFailed(ILogger logger, string REASON);
}
