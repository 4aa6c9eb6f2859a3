namespace UpdateAgent.Daemon;

/// <summary>Whether systemd can be reached over D-Bus now; what the <see cref="Watchdog"/> asks before each pet.</summary>
internal interface ISystemdProbe
{
    /// <summary>Completes when systemd answered; throws <see cref="UpdateAgent.Systemd.SystemdException"/> when it cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
