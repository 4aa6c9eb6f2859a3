namespace UpdateAgent.Core.History;

/// <summary>One row of update history.</summary>
/// <param name="Id">Row ID.</param>
/// <param name="Unit">The systemd unit.</param>
/// <param name="Image">The reference the unit runs (e.g. <c>registry/app:latest</c>).</param>
/// <param name="FromDigest">Digest it ran before.</param>
/// <param name="ToDigest">Candidate digest.</param>
/// <param name="PreviousImageId">Local image ID it ran before (what a rollback restores).</param>
/// <param name="Verdict">Verdict outcome word.</param>
/// <param name="Signers">Authorities whose signatures verified, comma separated.</param>
/// <param name="Reasons">Verdict reasons and failures, one per line.</param>
/// <param name="Status">How it ended, or <see cref="UnitStatus.InProgress"/>.</param>
/// <param name="LastStep">The last step journaled, if any.</param>
/// <param name="LastStepDone">Whether that step's outcome was journaled too.</param>
/// <param name="Started">When the update began.</param>
/// <param name="Finished">When it ended, if it has.</param>
public sealed record UpdateRecord(
    long Id,
    string Unit,
    string Image,
    string FromDigest,
    string ToDigest,
    string PreviousImageId,
    string Verdict,
    string Signers,
    string Reasons,
    UnitStatus Status,
    UpdateStep? LastStep,
    bool LastStepDone,
    DateTimeOffset Started,
    DateTimeOffset? Finished)
{
    /// <summary>The state the update was in when last journaled (null for records written before the state was kept).</summary>
    public JournaledState? State { get; init; }
}

/// <summary>One journaled step of an update, for timings.</summary>
/// <param name="Step">The step.</param>
/// <param name="Phase"><c>intent</c> or <c>outcome</c>.</param>
/// <param name="At">When it was written.</param>
/// <param name="Detail">What was about to happen, or what happened.</param>
public sealed record StepRecord(UpdateStep Step, string Phase, DateTimeOffset At, string Detail);

/// <summary>A digest that may not be tried again for a unit until an operator releases it.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Digest">The digest.</param>
/// <param name="Reason">Why it was quarantined.</param>
/// <param name="Since">When.</param>
public sealed record QuarantineEntry(string Unit, string Digest, string Reason, DateTimeOffset Since);

/// <summary>What the last check of a unit found (the <c>status</c> view).</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Image">Its reference.</param>
/// <param name="RunningDigest">The digest it runs.</param>
/// <param name="RemoteDigest">What the registry's tag names, if it answered.</param>
/// <param name="Status">The check's status word.</param>
/// <param name="Detail">Reasons, one per line.</param>
/// <param name="CheckedAt">When.</param>
public sealed record UnitCheck(string Unit, string Image, string RunningDigest, string? RemoteDigest, UnitStatus Status, string Detail, DateTimeOffset CheckedAt);
