namespace UpdateAgent.Systemd;

/// <summary>What systemd says about a unit at one moment.</summary>
/// <param name="Name">Unit name.</param>
/// <param name="LoadState">e.g. <c>loaded</c>, <c>not-found</c>.</param>
/// <param name="ActiveState">e.g. <c>active</c>, <c>failed</c>, <c>inactive</c>, <c>activating</c>.</param>
/// <param name="SubState">e.g. <c>running</c>, <c>exited</c>, <c>dead</c>.</param>
/// <param name="Result">Service result, e.g. <c>success</c>, <c>exit-code</c>; empty for non-services.</param>
/// <param name="ExecMainStatus">Exit status of the main process, when it has one.</param>
/// <param name="ExecMainCode">How the main process ended (CLD_* code).</param>
/// <param name="RestartCount">Automatic restarts so far (<c>NRestarts</c>).</param>
/// <param name="InvocationId">The invocation ID as 32 hex digits; a new run gets a new one.</param>
/// <param name="ActiveEnterTimestamp">When the unit last became active, if ever.</param>
/// <param name="MainPid">Main process ID, 0 when none.</param>
public sealed record UnitState(
    string Name,
    string LoadState,
    string ActiveState,
    string SubState,
    string Result,
    int ExecMainStatus,
    int ExecMainCode,
    uint RestartCount,
    string InvocationId,
    DateTimeOffset? ActiveEnterTimestamp,
    uint MainPid)
{
    /// <summary>True when the unit is <c>active</c>.</summary>
    public bool IsActive => ActiveState == "active";
}
