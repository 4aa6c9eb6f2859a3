namespace UpdateAgent.Systemd;

/// <summary>The end of one systemd job and the unit's state right after.</summary>
/// <param name="Unit">The unit the job was for.</param>
/// <param name="JobPath">The job's object path.</param>
/// <param name="Result">How the job ended; only <see cref="JobResult.Done"/> is success.</param>
/// <param name="ResultWord">systemd's own word for the result.</param>
/// <param name="StateAfter">The unit's state once the job was removed.</param>
public sealed record JobOutcome(string Unit, string JobPath, JobResult Result, string ResultWord, UnitState StateAfter)
{
    /// <summary>True only for <c>done</c>.</summary>
    public bool Succeeded => Result == JobResult.Done;
}
