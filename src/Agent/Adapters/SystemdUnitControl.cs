using UpdateAgent.Core.Ports;
using UpdateAgent.Systemd;

namespace UpdateAgent.Adapters;

/// <summary>
/// The systemd manager over D-Bus as the engine's <see cref="IUnitControl"/>: systemd's records
/// become Core's, and every <see cref="SystemdException"/> becomes a <see cref="UnitControlException"/>
/// (a job that could not be followed, a <see cref="UnitJobException"/>).
/// </summary>
/// <param name="systemd">The manager.</param>
/// <param name="jobTimeout">How long a restart job may take.</param>
internal sealed class SystemdUnitControl(SystemdManager systemd, TimeSpan jobTimeout) : IUnitControl
{
    /// <inheritdoc />
    public async Task<Core.Ports.JobOutcome> RestartAsync(string unit, CancellationToken cancellationToken)
    {
        try
        {
            var job = await systemd.RestartUnitAndWaitAsync(unit, jobTimeout, cancellationToken).ConfigureAwait(false);
            return new Core.Ports.JobOutcome(job.Unit, job.ResultWord, Map(job.StateAfter));
        }
        catch (SystemdJobException e)
        {
            throw new UnitJobException(e.Message, e);
        }
        catch (SystemdException e)
        {
            throw new UnitControlException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public async Task<Core.Ports.UnitState> GetStateAsync(string unit, CancellationToken cancellationToken)
    {
        try
        {
            return Map(await systemd.GetUnitStateAsync(unit, cancellationToken).ConfigureAwait(false));
        }
        catch (SystemdException e)
        {
            throw new UnitControlException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IReadOnlyList<string>>> GetExecStartAsync(string unit, CancellationToken cancellationToken)
    {
        try
        {
            return await systemd.GetExecStartAsync(unit, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdException e)
        {
            throw new UnitControlException(e.Message, e);
        }
    }

    private static Core.Ports.UnitState Map(Systemd.UnitState s) =>
        new(s.Name, s.LoadState, s.ActiveState, s.SubState, s.Result, s.ExecMainStatus, s.RestartCount, s.InvocationId);
}
