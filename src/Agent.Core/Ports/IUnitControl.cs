using UpdateAgent.Systemd;

namespace UpdateAgent.Core.Ports;

/// <summary>What the engine needs from systemd. Production: <see cref="SystemdUnitControl"/>; tests fake it.</summary>
public interface IUnitControl
{
    /// <summary>Restarts the unit and waits for the job; throws <see cref="SystemdJobException"/> when it cannot be followed.</summary>
    Task<JobOutcome> RestartAsync(string unit, CancellationToken cancellationToken);

    /// <summary>The unit's current state.</summary>
    Task<UnitState> GetStateAsync(string unit, CancellationToken cancellationToken);

    /// <summary>
    /// The argv of each <c>ExecStart=</c> command of the unit (empty for a unit that is not a
    /// service); throws <see cref="SystemdException"/> when it cannot be read whole.
    /// </summary>
    Task<IReadOnlyList<IReadOnlyList<string>>> GetExecStartAsync(string unit, CancellationToken cancellationToken);
}

/// <summary>The systemd manager over D-Bus as the engine's <see cref="IUnitControl"/>.</summary>
/// <param name="systemd">The manager.</param>
/// <param name="jobTimeout">How long a restart job may take.</param>
public sealed class SystemdUnitControl(SystemdManager systemd, TimeSpan jobTimeout) : IUnitControl
{
    /// <inheritdoc />
    public Task<JobOutcome> RestartAsync(string unit, CancellationToken cancellationToken) =>
        systemd.RestartUnitAndWaitAsync(unit, jobTimeout, cancellationToken);

    /// <inheritdoc />
    public Task<UnitState> GetStateAsync(string unit, CancellationToken cancellationToken) =>
        systemd.GetUnitStateAsync(unit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<IReadOnlyList<string>>> GetExecStartAsync(string unit, CancellationToken cancellationToken) =>
        systemd.GetExecStartAsync(unit, cancellationToken);
}
