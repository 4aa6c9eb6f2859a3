using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Engine;

public sealed partial class UpdateMachine
{
    // The steps a unit takes as a whole. Each takes every part of the unit in that step (one, unless
    // the unit runs several images): each part's record gets its own intent and outcome, while the
    // unit is restarted once and judged once, so its containers never run a mix nobody judged.

    private async Task<IReadOnlyList<UpdateState>> RestartAsync(IReadOnlyList<Restarting> parts)
    {
        var unit = parts[0].Plan.ServiceUnit;
        foreach (var s in parts)
        {
            Step(s, UpdateStep.Restart, $"restart {unit}", s.Candidate);
        }
        // A job we lost sight of says nothing about the image: it is a failure of the step (no quarantine), see Fail.
        var job = await units.RestartAsync(unit, CancellationToken.None).ConfigureAwait(false);
        checkpoint?.Invoke("restart");
        var state = job.StateAfter;
        var detail = $"job {job.ResultWord}; unit {state.ActiveState}/{state.SubState}, result {state.Result}";
        var next = new List<UpdateState>();
        foreach (var s in parts)
        {
            if (!job.Succeeded && s.Plan.IsRestore)
            {
                history.RecordOutcome(s.UpdateId, UpdateStep.Restart, detail);
                next.Add(FailRestore(s, $"restart failed: {detail}"));
                continue;
            }
            UpdateState after = job.Succeeded ? new HealthGating(s.Plan, s.Candidate, s.UpdateId)
                : new RollingBack(s.Plan, s.Candidate, s.UpdateId, $"restart failed: {detail}{Together(parts)}", Quarantine: true);
            history.RecordOutcome(s.UpdateId, UpdateStep.Restart, detail, Journaled(after));
            next.Add(after);
        }
        return next;
    }

    private async Task<IReadOnlyList<UpdateState>> GateAsync(IReadOnlyList<HealthGating> parts, CancellationToken cancellationToken)
    {
        var plan = parts[0].Plan;
        foreach (var s in parts)
        {
            Step(s, UpdateStep.HealthGate, $"health gate: {Describe(s.Plan.Health)}", s.Candidate);
        }
        checkpoint?.Invoke("health-gate");
        // A gate that cannot run (podman, systemd, a deadline, a stop) is not a verdict on the candidate: see Fail.
        var verdict = await health.EvaluateAsync(plan.ServiceUnit, plan.Containers, plan.Health, cancellationToken).ConfigureAwait(false);
        var next = new List<UpdateState>();
        foreach (var s in parts)
        {
            if (!verdict.Healthy && s.Plan.IsRestore)
            {
                history.RecordOutcome(s.UpdateId, UpdateStep.HealthGate, verdict.Summary);
                next.Add(FailRestore(s, $"health gate failed: {verdict.Summary}"));
            }
            else if (!verdict.Healthy)
            {
                // The verdict (quarantine) is journaled with the gate's outcome, before anything is undone.
                var back = new RollingBack(s.Plan, s.Candidate, s.UpdateId, $"health gate failed: {verdict.Summary}{Together(parts)}", Quarantine: true);
                history.RecordOutcome(s.UpdateId, UpdateStep.HealthGate, verdict.Summary, Journaled(back));
                next.Add(back);
            }
            else
            {
                history.RecordOutcome(s.UpdateId, UpdateStep.HealthGate, verdict.Summary);
                // Finishing "updated" makes the pending ledger entry current in the same transaction.
                history.Finish(s.UpdateId, s.Plan.IsRestore ? UnitStatus.Restored : UnitStatus.Updated, verdict.Summary);
                next.Add(new Committed(s.Plan, s.Candidate, s.UpdateId, verdict));
            }
        }
        return next;
    }

    private async Task<IReadOnlyList<UpdateState>> RollBackAsync(IReadOnlyList<RollingBack> parts)
    {
        var plan = parts[0].Plan;
        // Putting the previous images back must not wait on the journal: a store that cannot be written
        // (a full disk) would otherwise leave the unit on a candidate that never passed its gate.
        var unwritten = new List<string>();
        foreach (var s in parts)
        {
            Journal(unwritten, () => Step(s, UpdateStep.RollBack, $"point {s.Plan.ImageReference} back at {s.Plan.RunningImageId}; restart {plan.ServiceUnit}", s.Candidate));
            if (s.Quarantine)
            {
                // Quarantine first: a crash from here on must not let the bad digest be tried again.
                Journal(unwritten, () => QuarantineCandidate(s.Plan, s.UpdateId, s.Candidate, s.Why));
            }
        }
        // Every tag goes back before the one restart: the unit comes up on all its previous images at once.
        foreach (var s in parts)
        {
            var previous = await PreviousImageAsync(s.Plan, s.Restores).ConfigureAwait(false);
            await podman.TagImageAsync(previous, s.Plan.ImageReference, CancellationToken.None).ConfigureAwait(false);
        }
        checkpoint?.Invoke("rollback");
        var job = await units.RestartAsync(plan.ServiceUnit, CancellationToken.None).ConfigureAwait(false);
        var after = job.Succeeded
            ? await PreviousHealthAsync(plan).ConfigureAwait(false)
            : new HealthVerdict(false, [$"restart after the rollback ended '{job.ResultWord}'"]);
        var detail = after.Healthy ? $"previous image healthy: {after.Summary}" : $"previous image NOT healthy either: {after.Summary}";
        var next = new List<UpdateState>();
        foreach (var s in parts)
        {
            var written = new List<string>(unwritten);
            Journal(written, () => history.RecordOutcome(s.UpdateId, UpdateStep.RollBack, detail));
            if (s.Restores is { } restored)
            {
                Journal(written, () => history.RecordVerified(restored));
            }
            Journal(written, () => history.Finish(s.UpdateId, s.Quarantine ? UnitStatus.RolledBack : UnitStatus.Abandoned, $"{s.Why}; {detail}"));
            next.Add(new RolledBack(s.Plan, s.Candidate, s.UpdateId, s.Why + Unwritten(written), after, s.Quarantine));
        }
        return next;
    }

    // Said of a verdict on several images tried together: which one was at fault is not known, so each is held to it.
    private static string Together<T>(IReadOnlyList<T> parts) where T : UpdateState =>
        parts.Count > 1 ? $"; tried together: {string.Join(", ", parts.Select(p => p.Plan.ImageReference))}" : "";

    // The previous image is back once tagged and restarted; a health check that cannot run now does not undo that.
    private async Task<HealthVerdict> PreviousHealthAsync(UnitPlan plan)
    {
        try
        {
            return await health.EvaluateAsync(plan.ServiceUnit, plan.Containers, plan.Health with { Soak = TimeSpan.Zero }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return new HealthVerdict(false, [$"its health could not be checked: {UnitFailure.Describe(e)}"]);
        }
    }

    private void QuarantineCandidate(UnitPlan plan, long updateId, string candidate, string why)
    {
        history.Quarantine(plan.Unit, candidate, why);
        if (history.Pending(updateId) is { } pending && pending.PlatformDigest != candidate)
        {
            // The same bytes must not come back wrapped in a fresh index.
            history.Quarantine(plan.Unit, pending.PlatformDigest, why);
        }
    }

    /// <summary>The image to roll back to; pulled again by its verified digest when something (a prune) removed it.</summary>
    private async Task<string> PreviousImageAsync(UnitPlan plan, LedgerEntry? restores)
    {
        if (await podman.ImageExistsAsync(plan.RunningImageId, CancellationToken.None).ConfigureAwait(false))
        {
            return plan.RunningImageId;
        }
        var digest = restores?.PlatformDigest ?? plan.Verified?.PlatformDigest ?? plan.RunningDigest;
        return (await podman.PullByDigestAsync($"{plan.Image.Name}@{digest}", CancellationToken.None).ConfigureAwait(false)).ImageId;
    }
}
