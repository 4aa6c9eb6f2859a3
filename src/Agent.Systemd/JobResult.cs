namespace UpdateAgent.Systemd;

/// <summary>
/// How a systemd job ended (the <c>result</c> of <c>JobRemoved</c>). Only <see cref="Done"/> is
/// success; values systemd may add later map to <see cref="Unknown"/>.
/// </summary>
public enum JobResult
{
    /// <summary>A value this build does not know.</summary>
    Unknown,
    /// <summary>The job finished successfully.</summary>
    Done,
    /// <summary>The job was cancelled before it finished (e.g. replaced by another job).</summary>
    Canceled,
    /// <summary>The job's timeout was reached.</summary>
    Timeout,
    /// <summary>The job failed.</summary>
    Failed,
    /// <summary>A job it depended on failed.</summary>
    Dependency,
    /// <summary>The job was not applicable to the unit's state.</summary>
    Skipped,
    /// <summary>The unit's start was refused (e.g. a condition or rate limit).</summary>
    Invalid,
    /// <summary>An assertion of the unit failed.</summary>
    Assert,
    /// <summary>The unit is of a type that cannot do this job.</summary>
    Unsupported,
    /// <summary>The job was garbage-collected before it ran.</summary>
    Collected,
    /// <summary>systemd's <c>once</c> result: a once-only job had already run.</summary>
    Once,
    /// <summary>The unit is frozen.</summary>
    Frozen,
}

/// <summary>Converts systemd's result words.</summary>
public static class JobResults
{
    /// <summary>Parses a <c>JobRemoved</c> result word; unknown words give <see cref="JobResult.Unknown"/>.</summary>
    public static JobResult Parse(string word) => word switch
    {
        "done" => JobResult.Done,
        "canceled" => JobResult.Canceled,
        "timeout" => JobResult.Timeout,
        "failed" => JobResult.Failed,
        "dependency" => JobResult.Dependency,
        "skipped" => JobResult.Skipped,
        "invalid" => JobResult.Invalid,
        "assert" => JobResult.Assert,
        "unsupported" => JobResult.Unsupported,
        "collected" => JobResult.Collected,
        "once" => JobResult.Once,
        "frozen" => JobResult.Frozen,
        _ => JobResult.Unknown,
    };
}
