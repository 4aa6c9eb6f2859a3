using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// The states of one unit's update. Each carries the data its next transition needs; terminal
/// states carry the status word an operator reads.
/// </summary>
public abstract record UpdateState(UnitPlan Plan)
{
    /// <summary>Whether no transition leaves this state.</summary>
    public virtual bool IsTerminal => false;

    /// <summary>The status of a terminal state (<c>updated</c>, <c>refused</c>, <c>rolled back</c>…).</summary>
    public virtual UnitStatus Status => UnitStatus.InProgress;

    /// <summary>What was found or done, for the report and the log.</summary>
    public virtual string Detail => "";
}

/// <summary>Judging what the unit runs: the ledger's current digest, or verified now, or else unverified.</summary>
public sealed record Judging(UnitPlan Plan) : UpdateState(Plan);

/// <summary>Comparing the running digest with the candidate.</summary>
public sealed record Checking(UnitPlan Plan) : UpdateState(Plan);

/// <summary>Asking the trust policy whether the unit may move to <see cref="Candidate"/>.</summary>
public sealed record Verifying(UnitPlan Plan, string Candidate) : UpdateState(Plan);

/// <summary>
/// The policy accepted <see cref="Candidate"/>; <see cref="PullDigest"/> is the image manifest it judged
/// for this host. Nothing is recorded yet: a unit that runs several images moves only when each of
/// its changed images got here, so its other parts wait in this state.
/// </summary>
public sealed record Accepted(UnitPlan Plan, string Candidate, string PullDigest, Verdict Verdict) : UpdateState(Plan);

/// <summary>
/// Pulling by digest: <see cref="PullDigest"/> is the image manifest the verdict judged for this host
/// (never an index, so podman cannot choose another entry); <see cref="Candidate"/> is what the tag names.
/// </summary>
public sealed record Pulling(UnitPlan Plan, string Candidate, string PullDigest, long UpdateId) : UpdateState(Plan);

/// <summary>Keeping the previous image under the rollback tag and pointing the unit's reference at the candidate.</summary>
public sealed record Tagging(UnitPlan Plan, string Candidate, long UpdateId, string CandidateImageId) : UpdateState(Plan);

/// <summary>Restarting the unit through systemd.</summary>
public sealed record Restarting(UnitPlan Plan, string Candidate, long UpdateId) : UpdateState(Plan);

/// <summary>Judging health after the restart.</summary>
public sealed record HealthGating(UnitPlan Plan, string Candidate, long UpdateId) : UpdateState(Plan);

/// <summary>
/// Putting the previous image back. <see cref="Quarantine"/> marks the candidate as bad (false when
/// undoing an interrupted update); <see cref="Restores"/>, when set, becomes the ledger's current
/// entry once the previous image runs (an operator's rollback).
/// </summary>
public sealed record RollingBack(UnitPlan Plan, string Candidate, long UpdateId, string Why, bool Quarantine, LedgerEntry? Restores = null) : UpdateState(Plan);

/// <summary>Terminal: the unit runs the candidate (or, restoring, its last verified digest) and it is healthy.</summary>
public sealed record Committed(UnitPlan Plan, string Candidate, long UpdateId, HealthVerdict Health) : UpdateState(Plan)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;
    /// <inheritdoc />
    public override UnitStatus Status => Plan.IsRestore ? UnitStatus.Restored : UnitStatus.Updated;
    /// <inheritdoc />
    public override string Detail => Plan.IsRestore
        ? $"{(Plan.RestoreReason.Length > 0 ? Plan.RestoreReason : $"ran {Plan.RunningDigest}, which update-agent did not verify")}; restored the verified {Candidate}; {Health.Summary}"
        : $"now runs {Candidate}; {Health.Summary}";
}

/// <summary>
/// Terminal: the unit runs an image update-agent did not verify and it was not replaced (no verified
/// digest to restore, <c>on_unverified = "report"</c>, a hold, or a dry run). Never "up to date".
/// </summary>
public sealed record Unverified(UnitPlan Plan, string Why) : UpdateState(Plan)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;
    /// <inheritdoc />
    public override UnitStatus Status => UnitStatus.Unverified;
    /// <inheritdoc />
    public override string Detail => Why;
}

/// <summary>Terminal: the unit's own start pulls its tag, so what it runs cannot be kept to what was verified; the agent leaves it alone.</summary>
public sealed record Unmanageable(UnitPlan Plan, string Why) : UpdateState(Plan)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;
    /// <inheritdoc />
    public override UnitStatus Status => UnitStatus.Unmanageable;
    /// <inheritdoc />
    public override string Detail => Why;
}

/// <summary>Terminal: the policy refused the candidate; nothing was pulled.</summary>
public sealed record Refused(UnitPlan Plan, string Candidate, Verdict Verdict) : UpdateState(Plan)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;
    /// <inheritdoc />
    public override UnitStatus Status => UnitStatus.Refused;
    /// <inheritdoc />
    public override string Detail => string.Join("; ", Verdict.Reasons.Select(r => r.ToString()));
}

/// <summary>Terminal: the previous image runs again.</summary>
public sealed record RolledBack(UnitPlan Plan, string Candidate, long UpdateId, string Why, HealthVerdict After, bool Quarantined) : UpdateState(Plan)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;
    /// <inheritdoc />
    public override UnitStatus Status => Quarantined ? UnitStatus.RolledBack : UnitStatus.Abandoned;
    /// <inheritdoc />
    public override string Detail => $"{Why}; back on {Plan.RunningDigest}: {After.Summary}{(Quarantined ? $"; {Candidate} quarantined" : "")}";
}

/// <summary>Terminal: something failed; <see cref="Why"/> says what and what the unit runs.</summary>
public sealed record Failed(UnitPlan Plan, string? Candidate, long? UpdateId, string Why) : UpdateState(Plan)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;
    /// <inheritdoc />
    public override UnitStatus Status => UnitStatus.Failed;
    /// <inheritdoc />
    public override string Detail => Why;
}

/// <summary>Terminal without touching the host: up to date, held, quarantined, pending (dry run) or undecided.</summary>
public sealed record Unchanged(UnitPlan Plan, UnitStatus Word, string Why, Verdict? Verdict = null) : UpdateState(Plan)
{
    /// <inheritdoc />
    public override bool IsTerminal => true;
    /// <inheritdoc />
    public override UnitStatus Status => Word;
    /// <inheritdoc />
    public override string Detail => Why;
}
