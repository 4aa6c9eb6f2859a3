using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Podman;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// Resolves updates a killed or stopped agent left unfinished, from the intent journal:
/// interrupted before the host changed → nothing to undo; the unit already runs the candidate
/// after its restart → finish the health gate (commit or roll back); anything else → put the
/// previous image back. Afterwards every unit runs either its old or its new verified image.
/// </summary>
public sealed class Recovery(IPodmanClient podman, UpdateMachine machine, HistoryStore history, EngineOptions options, ILogger logger)
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
        var unit = discovery.Units.FirstOrDefault(u => u.UnitName == record.Unit);
        var runsCandidate = unit is not null && unit.RepoDigests.Any(d => d.EndsWith("@" + record.ToDigest, StringComparison.Ordinal));
        var plan = _planner.ForRecord(record, unit);

        if (record.LastStep is null or UpdateStep.Pull)
        {
            // The unit's tag was never moved: it runs, and would restart into, its previous image.
            var why = "interrupted before the unit's image was changed";
            history.Finish(record.Id, UnitStatus.Abandoned, why);
            return new Unchanged(plan, UnitStatus.Abandoned, $"{why}; runs {record.FromDigest}");
        }
        if (record.Verdict == UpdateMachine.RestoreVerdict)
        {
            // A restore is never rolled back (that would put the unverified image back); the next pass judges what runs and restores again if it must.
            var why = $"interrupted while restoring the verified {record.ToDigest}; the next pass judges what runs";
            history.Finish(record.Id, UnitStatus.Failed, why);
            return new Failed(plan, record.ToDigest, record.Id, why);
        }
        if (record.LastStep == UpdateStep.RollBack)
        {
            // A rollback that quarantines writes the quarantine before it touches the host, so the store
            // says which kind was interrupted: undoing an update the agent stopped in the middle of is
            // not a verdict on the candidate, and must not quarantine a healthy release.
            var quarantining = history.IsQuarantined(record.Unit, record.ToDigest);
            return await machine.RunAsync(new RollingBack(plan, record.ToDigest, record.Id,
                quarantining ? "finishing an interrupted rollback" : "finishing the undoing of an interrupted update", quarantining), cancellationToken).ConfigureAwait(false);
        }
        if (runsCandidate && record.LastStep is UpdateStep.Restart or UpdateStep.HealthGate)
        {
            return await machine.RunAsync(new HealthGating(plan, record.ToDigest, record.Id), cancellationToken).ConfigureAwait(false);
        }
        return await machine.RunAsync(new RollingBack(plan, record.ToDigest, record.Id,
            $"interrupted during {record.LastStep} (unit {(unit is null ? "not running" : runsCandidate ? "on the candidate" : "on its previous image")})",
            Quarantine: false), cancellationToken).ConfigureAwait(false);
    }
}
