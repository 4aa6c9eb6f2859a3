namespace UpdateAgent.Core.Ports;

/// <summary>What the engine reads of a unit's state: enough to judge a restart and a soak.</summary>
/// <param name="Name">The unit, e.g. <c>app.service</c>.</param>
/// <param name="LoadState"><c>loaded</c>, <c>not-found</c>, …</param>
/// <param name="ActiveState"><c>active</c>, <c>failed</c>, …</param>
/// <param name="SubState"><c>running</c>, <c>exited</c>, …</param>
/// <param name="Result">systemd's result word, e.g. <c>success</c> or <c>exit-code</c>.</param>
/// <param name="ExecMainStatus">The main process's exit status, for a person reading why it is down.</param>
/// <param name="RestartCount">Automatic restarts so far: a change during the soak means the unit crashed.</param>
/// <param name="InvocationId">Changes with every start, so a stop and start during the soak is seen too.</param>
public sealed record UnitState(string Name, string LoadState, string ActiveState, string SubState, string Result, int ExecMainStatus, uint RestartCount, string InvocationId)
{
    /// <summary>Whether the unit is active.</summary>
    public bool IsActive => ActiveState == "active";
}
