using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// Resolves updates a killed or stopped agent left unfinished, from the intent journal:
/// interrupted before the host changed → nothing to undo; the unit already runs the candidate
/// after its restart → finish the health gate (commit or roll back); anything else → put the
/// previous image back. Afterwards every unit runs either its old or its new verified image.
/// </summary>
public sealed class Recovery(IContainerHost podman, UpdateMachine machine, HistoryStore history, EngineOptions options, ILogger logger)
{
    private readonly UnitPlanner _planner = new(options);

    /// <summary>Resolves every unfinished update; returns the final states.</summary>
    public async Task<IReadOnlyList<UpdateState>> ResolveAsync(CancellationToken cancellationToken)
    {
        var unfinished = history.Unfinished();
        if (unfinished.Count == 0)
        {
            return [];
        }
        var discovery = await podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
        machine.Reached("recovery");
        var results = new List<UpdateState>();
        foreach (var record in unfinished)
        {
            UpdateState state;
            try
            {
                state = await ResolveOneAsync(record, discovery, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (UnitFailure.Ends(e, cancellationToken))
            {
                // One record that cannot be resolved now (the store, a bug) does not keep the others; it is tried again next pass.
                EngineLog.Recovered(logger, record.Unit, record.Image, record.FromDigest, record.ToDigest, UnitStatus.InProgress.Word(), $"not resolved yet: {UnitFailure.Describe(e)}");
                continue;
            }
            EngineLog.Recovered(logger, record.Unit, record.Image, record.FromDigest, record.ToDigest, state.Status.Word(), state.Detail);
            results.Add(state);
        }
        return results;
    }

    private async Task<UpdateState> ResolveOneAsync(UpdateRecord record, DiscoveryResult discovery, CancellationToken cancellationToken)
    {
        if (record.LastStep is { } dangling && !record.LastStepDone)
        {
            // Close the step the agent died in, so the journal has no intent without an outcome.
            history.RecordOutcome(record.Id, dangling, "interrupted: the agent stopped before recording this step's outcome");
        }
        var unit = UnitKey.Find(record.Unit, discovery.Units);
        var runsCandidate = unit is not null && unit.RepoDigests.Any(d => d.EndsWith("@" + record.ToDigest, StringComparison.Ordinal));
        var plan = _planner.ForRecord(record, unit);

        var next = record.State is { } journaled ? Continue(record, journaled, plan, unit, runsCandidate) : ContinueFromSteps(record, plan, unit, runsCandidate);
        return next.IsTerminal ? next : await machine.RunAsync(next, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Where the journaled state says the update was: before the tag moved → nothing to undo; a
    /// restore → never rolled back onto the unverified image; a rollback → finished with its own
    /// reason and verdict; restarted onto the candidate → its gate is finished; otherwise undone.
    /// </summary>
    private UpdateState Continue(UpdateRecord record, JournaledState state, UnitPlan plan, ManagedUnit? unit, bool runsCandidate) => state.Kind switch
    {
        nameof(Pulling) => Abandon(record, plan),
        nameof(Tagging) when !state.Acting => Abandon(record, plan),
        _ when state.IsRestore => FailRestore(record, plan),
        nameof(RollingBack) => new RollingBack(plan, record.ToDigest, record.Id, $"{state.Why} (finished after an interruption)", state.Quarantine),
        nameof(HealthGating) when runsCandidate => new HealthGating(plan, record.ToDigest, record.Id),
        nameof(Restarting) when runsCandidate && state.Acting => new HealthGating(plan, record.ToDigest, record.Id),
        _ => Undo(record, plan, unit, runsCandidate, state.Kind),
    };

    /// <summary>The same decisions for a record written before the state was journaled, from its last step.</summary>
    private UpdateState ContinueFromSteps(UpdateRecord record, UnitPlan plan, ManagedUnit? unit, bool runsCandidate)
    {
        if (record.LastStep is null or UpdateStep.Pull)
        {
            return Abandon(record, plan);
        }
        if (record.Verdict == UpdateMachine.RestoreVerdict)
        {
            return FailRestore(record, plan);
        }
        if (record.LastStep == UpdateStep.RollBack)
        {
            // Such a store says which kind of rollback was interrupted only by its quarantine row, written first by a verdict.
            var quarantining = history.IsQuarantined(record.Unit, record.ToDigest);
            return new RollingBack(plan, record.ToDigest, record.Id,
                quarantining ? "finishing an interrupted rollback" : "finishing the undoing of an interrupted update", quarantining);
        }
        return runsCandidate && record.LastStep is UpdateStep.Restart or UpdateStep.HealthGate
            ? new HealthGating(plan, record.ToDigest, record.Id)
            : Undo(record, plan, unit, runsCandidate, record.LastStep.ToString()!);
    }

    // The unit's tag was never moved: it runs, and would restart into, its previous image.
    private Unchanged Abandon(UpdateRecord record, UnitPlan plan)
    {
        var why = "interrupted before the unit's image was changed";
        history.Finish(record.Id, UnitStatus.Abandoned, why);
        return new Unchanged(plan, UnitStatus.Abandoned, $"{why}; runs {record.FromDigest}");
    }

    // A restore is never rolled back (that would put the unverified image back); the next pass judges what runs and restores again if it must.
    private Failed FailRestore(UpdateRecord record, UnitPlan plan)
    {
        var why = $"interrupted while restoring the verified {record.ToDigest}; the next pass judges what runs";
        history.Finish(record.Id, UnitStatus.Failed, why);
        return new Failed(plan, record.ToDigest, record.Id, why);
    }

    // Undoing an update the agent stopped in the middle of is not a verdict on the candidate: no quarantine.
    private static RollingBack Undo(UpdateRecord record, UnitPlan plan, ManagedUnit? unit, bool runsCandidate, string where) =>
        new(plan, record.ToDigest, record.Id,
            $"interrupted during {where} (unit {(unit is null ? "not running" : runsCandidate ? "on the candidate" : "on its previous image")})", Quarantine: false);
}
