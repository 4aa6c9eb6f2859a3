using UpdateAgent.Core;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using UpdateAgent.Systemd;

namespace UpdateAgent.Daemon;

/// <summary>
/// Pets systemd's watchdog at half its interval when the unit sets <c>WatchdogSec=</c>, and only
/// while systemd answers over D-Bus: before each WATCHDOG=1 it pings systemd (which also replaces a
/// lost bus connection), waiting at most half the interval. While systemd cannot be reached the
/// pets stop, so a daemon that lost the bus for good is restarted by systemd after
/// <c>WatchdogSec=</c> instead of failing every pass for ever; the outage is logged when it begins
/// and when it ends, once each. Without <c>WATCHDOG_USEC</c> it does nothing.
/// </summary>
internal sealed partial class Watchdog(ISystemdNotifier notifier, ISystemdProbe probe, ILogger<Watchdog> logger, TimeProvider time) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Interval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID")) is { } interval
            ? PetAsync(interval, stoppingToken)
            : Task.CompletedTask;

    /// <summary>Half of <c>WATCHDOG_USEC</c>, or null when there is no watchdog, or it is meant for another process.</summary>
    internal static TimeSpan? Interval(string? usec, string? pid)
    {
        if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value == 0)
        {
            return null;
        }
        if (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }
        return TimeSpan.FromMicroseconds(value / 2);
    }

    /// <summary>Asks and pets every <paramref name="interval"/> until <paramref name="stoppingToken"/> fires.</summary>
    internal async Task PetAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        DateTimeOffset? lostSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Timed from before asking, so a slow answer does not stretch the time between pets.
            var asked = time.GetUtcNow();
            var next = Task.Delay(interval, time, stoppingToken);
            var failure = await AskAsync(interval / 2, stoppingToken).ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            if (failure is null)
            {
                if (lostSince is { } since)
                {
                    Reachable(logger, (asked - since).TotalSeconds);
                    lostSince = null;
                }
                notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
            else if (lostSince is null)
            {
                lostSince = asked;
                Unreachable(logger, failure);
            }
            try
            {
                await next.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Why systemd could not be reached within <paramref name="limit"/>, or null when it answered (or we are stopping).</summary>
    private async Task<string?> AskAsync(TimeSpan limit, CancellationToken stoppingToken)
    {
        using var giveUp = new CancellationTokenSource(limit, time);
        using var asking = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, giveUp.Token);
        try
        {
            // WaitAsync as well: even a ping that ignored its token could not hold the next pet back.
            await probe.PingAsync(asking.Token).WaitAsync(asking.Token).ConfigureAwait(false);
            return null;
        }
        catch (SystemdException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            return $"systemd did not answer within {limit.TotalSeconds:0.###} s";
        }
    }

    [LoggerMessage(EventId = (int)AgentEvent.SystemdUnreachable, EventName = nameof(AgentEvent.SystemdUnreachable), Level = LogLevel.Warning,
        Message = "systemd cannot be reached over D-Bus: {REASON}; the watchdog is not petted until it answers, so systemd restarts the agent if this lasts past WatchdogSec=")]
    private static partial void Unreachable(ILogger logger, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.SystemdReachable, EventName = nameof(AgentEvent.SystemdReachable), Level = LogLevel.Information,
        Message = "systemd answers over D-Bus again, after {SECONDS:0.#} s; the watchdog is petted again")]
    private static partial void Reachable(ILogger logger, double SECONDS);
}
