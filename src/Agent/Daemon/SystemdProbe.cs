using UpdateAgent.Systemd;

namespace UpdateAgent.Daemon;

/// <summary>
/// Pings systemd through the manager the passes use, so a lost connection is noticed and a new one
/// opened by the watchdog's cadence even while no pass runs.
/// </summary>
internal sealed class SystemdProbe(SystemdManager systemd) : ISystemdProbe
{
    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) => systemd.PingAsync(cancellationToken);
}
