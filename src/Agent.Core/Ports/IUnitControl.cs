namespace UpdateAgent.Core.Ports;

/// <summary>
/// What the engine needs from systemd, in Core's own terms, so the engine can be tested without a
/// bus. Every failure is a <see cref="UnitControlException"/>; production adapts the D-Bus manager.
/// </summary>
public interface IUnitControl
{
    /// <summary>
    /// Restarts the unit and waits for the job; throws <see cref="UnitJobException"/> when the job
    /// cannot be followed to its end (the unit's state is then unknown, not failed).
    /// </summary>
    Task<JobOutcome> RestartAsync(string unit, CancellationToken cancellationToken);

    /// <summary>The unit's current state.</summary>
    Task<UnitState> GetStateAsync(string unit, CancellationToken cancellationToken);

    /// <summary>
    /// The argv of each <c>ExecStart=</c> command of the unit (empty for a unit that is not a
    /// service); throws <see cref="UnitControlException"/> when it cannot be read whole.
    /// </summary>
    Task<IReadOnlyList<IReadOnlyList<string>>> GetExecStartAsync(string unit, CancellationToken cancellationToken);
}
