namespace UpdateAgent.Core.Ports;

/// <summary>How a restart job ended and the unit's state right after it.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="ResultWord">systemd's result word for the job, e.g. <c>done</c>, <c>failed</c>, <c>timeout</c>.</param>
/// <param name="StateAfter">The unit's state once the job ended.</param>
public sealed record JobOutcome(string Unit, string ResultWord, UnitState StateAfter)
{
    /// <summary>Whether the job succeeded: systemd calls only <c>done</c> a success.</summary>
    public bool Succeeded => ResultWord == "done";
}
