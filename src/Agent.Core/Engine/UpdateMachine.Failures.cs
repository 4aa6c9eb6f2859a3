using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Engine;

public sealed partial class UpdateMachine
{
    /// <summary>
    /// Whether an update record exists for the state, so a stop request is finished (the record
    /// closed, the host put back) rather than dropped.
    /// </summary>
    private static bool IsUnderway(UpdateState state) => state is Pulling or Tagging or Restarting or HealthGating or RollingBack;

    /// <summary>
    /// The one failure rule, by state: before an update record exists nothing changed, so the unit
    /// simply failed; during the pull the tag still names what runs, so the record is closed (a stop
    /// abandons it); from tagging on the host may have changed, so the previous image is put back (a
    /// restore, which must never return to the unverified image, stays on the verified one); a failed rollback
    /// is a failure a person must see. The record is never left "in progress" while the store can
    /// be written at all.
    /// </summary>
    private UpdateState Fail(UpdateState s, Exception e, bool stopped)
    {
        var what = UnitFailure.Describe(e);
        var plan = s.Plan;
        switch (s)
        {
            case Pulling p:
            {
                var why = stopped ? "the agent stopped during the pull" : $"pull of {PullReference(p)} failed: {what}";
                // A stop is no verdict on the pull: the update is abandoned, as when it stops in a later step.
                var unwritten = CloseRecord(p.UpdateId, UpdateStep.Pull, why, stopped ? UnitStatus.Abandoned : UnitStatus.Failed);
                var detail = $"{why}; still runs {plan.RunningDigest}{(plan.IsRestore ? ", which update-agent did not verify" : "")}{Unwritten(unwritten)}";
                return stopped ? new Unchanged(plan, UnitStatus.Abandoned, detail) : new Failed(plan, p.Candidate, p.UpdateId, detail);
            }
            case Tagging or Restarting or HealthGating:
            {
                var (candidate, id, step) = Underway(s);
                var why = stopped ? $"the agent stopped during the {Words(step)}" : FailureOf(step) + what;
                var unwritten = new List<string>();
                if (plan.IsRestore)
                {
                    Journal(unwritten, () => history.RecordOutcome(id, step, why));
                    return FailRestore(s, why);
                }
                // Not a verdict on the candidate (no quarantine) — unless a gate that cannot run keeps
                // coming back for it: then it would restart the unit twice on every pass, for ever.
                var again = !stopped && step == UpdateStep.HealthGate && Read(() => history.GateFailedAttempts(plan.Unit, candidate, FailureOf(UpdateStep.HealthGate)), 0) > 0;
                var back = new RollingBack(plan, candidate, id, again ? $"{why}; its health gate could not run on an earlier attempt either" : why, Quarantine: again);
                Journal(unwritten, () => history.RecordOutcome(id, step, why, Journaled(back)));
                return back;
            }
            case RollingBack r:
            {
                var why = $"{r.Why}; the rollback failed too: {what}";
                var unwritten = CloseRecord(r.UpdateId, UpdateStep.RollBack, why, UnitStatus.Failed);
                return new Failed(plan, r.Candidate, r.UpdateId, why + Unwritten(unwritten));
            }
            default:
                // Judging, checking, verifying, accepted: no record and nothing on the host changed.
                return new Failed(plan, s switch { Verifying v => v.Candidate, Accepted a => a.Candidate, _ => plan.Candidate }, null, $"{what}; nothing was changed, it still runs {plan.RunningDigest}");
        }
    }

    private UpdateState FailRestore(UpdateState s, string why)
    {
        var (candidate, id, _) = Underway(s);
        // Never back onto the unverified image: the unit stays on the verified one, and a person is told.
        var message = $"restoring the verified {candidate} failed: {why}; the unit stays on it rather than return to the unverified {s.Plan.RunningDigest}";
        var unwritten = new List<string>();
        Journal(unwritten, () => history.Finish(id, UnitStatus.Failed, message));
        return new Failed(s.Plan, candidate, id, message + Unwritten(unwritten));
    }

    private static (string Candidate, long UpdateId, UpdateStep Step) Underway(UpdateState s) => s switch
    {
        Tagging t => (t.Candidate, t.UpdateId, UpdateStep.Tag),
        Restarting r => (r.Candidate, r.UpdateId, UpdateStep.Restart),
        HealthGating g => (g.Candidate, g.UpdateId, UpdateStep.HealthGate),
        _ => throw new InvalidOperationException($"{s.GetType().Name} is not a step that changes the host"),
    };

    // How a step's outcome begins when the step itself failed (not a stop): the gate rule above counts these.
    private static string FailureOf(UpdateStep step) => $"{Words(step)} failed: ";

    private static string Words(UpdateStep step) => step switch
    {
        UpdateStep.Tag => "tagging",
        UpdateStep.Restart => "restart",
        UpdateStep.HealthGate => "health gate",
        UpdateStep.Pull => "pull",
        _ => "rollback",
    };

    private List<string> CloseRecord(long updateId, UpdateStep step, string why, UnitStatus status)
    {
        var unwritten = new List<string>();
        Journal(unwritten, () => history.RecordOutcome(updateId, step, why));
        Journal(unwritten, () => history.Finish(updateId, status, why));
        return unwritten;
    }

    /// <summary>
    /// Writes to the journal on a failure path: a store that cannot be written must not stop the
    /// host from being put back. What could not be written is collected, logged and reported; the
    /// record stays open for the recovery at the start of the next pass.
    /// </summary>
    private void Journal(List<string> unwritten, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e)
        {
            unwritten.Add(e.Message);
            EngineLog.HistoryStoreFailed(logger, history.Path, e.Message);
        }
    }

    private static T Read<T>(Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (Exception)
        {
            return fallback;
        }
    }

    private static string Unwritten(List<string> unwritten) =>
        unwritten.Count == 0 ? "" : $"; the history could not be written ({unwritten[0]}), the next pass resolves the record";
}
