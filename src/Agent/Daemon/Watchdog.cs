using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace UpdateAgent.Daemon;

/// <summary>
/// Pets systemd's watchdog at half its interval when the unit sets <c>WatchdogSec=</c>; without
/// <c>WATCHDOG_USEC</c> in the environment it does nothing.
/// </summary>
internal sealed class Watchdog(ISystemdNotifier systemd, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ulong.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0)
        {
            return;
        }
        if (Environment.GetEnvironmentVariable("WATCHDOG_PID") is { } pid && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return; // meant for another process
        }
        var interval = TimeSpan.FromMicroseconds(usec / 2);
        while (!stoppingToken.IsCancellationRequested)
        {
            systemd.Notify(new ServiceState("WATCHDOG=1"));
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
