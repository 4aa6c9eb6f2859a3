using System.Diagnostics;
using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// One pass over the managed units: discover them, resolve each distinct image once (in parallel,
/// bounded), then run each unit's state machine in turn — so at most one unit restarts at a time.
/// A failure in one unit is that unit's report; the others go on.
/// </summary>
public sealed class UpdateEngine(
    IContainerHost podman, ITagResolver registry, IUnitControl units, UpdateMachine machine, HistoryStore history,
    EngineOptions options, ILogger logger, TimeProvider time)
{
    private readonly AbsentUnits _absent = new(podman, units, machine, history, options);
    private readonly Reporter _reporter = new(history, logger, time);
    private readonly ImagePruner _pruner = new(podman, history, options.KeepImages, logger);
    private readonly Recovery _recovery = new(podman, machine, history, options, logger);
    private readonly UnitPlanner _planner = new(options);
    private DateTimeOffset? _lastPrune;

    /// <summary>Runs one pass.</summary>
    public async Task<PassReport> RunPassAsync(PassRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var watch = Stopwatch.StartNew();
        // A record a failed journal write left open in an earlier pass is resolved before anything new
        // starts — but not by a dry run, which changes nothing on the host.
        try
        {
            if (!request.DryRun)
            {
                await _recovery.ResolveAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (UnitFailure.Ends(e, cancellationToken))
        {
            EngineLog.HistoryStoreFailed(logger, history.Path, $"open records could not be resolved before the pass: {UnitFailure.Describe(e)}");
        }
        var discovery = await podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
        var reports = new List<UnitReport>();
        foreach (var problem in discovery.Problems)
        {
            reports.Add(_reporter.Report(problem));
        }
        // Units that run one image reference share its tag: a unit asked for brings its whole group,
        // and every image of a unit that runs several (they move together).
        var keyed = UnitKey.Of(discovery.Units);
        var groups = keyed.GroupBy(k => k.Unit.ImageReference, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(k => k.Key).ToList(), StringComparer.Ordinal);
        var asked = keyed
            .Where(k => request.Units is not { Count: > 0 } only
                || groups[k.Unit.ImageReference].Any(m => only.Contains(m, StringComparer.Ordinal) || only.Contains(UnitKey.ServiceOf(m), StringComparer.Ordinal)))
            .Select(k => k.Unit.UnitName).ToHashSet(StringComparer.Ordinal);
        var selected = keyed.Where(k => asked.Contains(k.Unit.UnitName)).ToList();
        var committed = new Dictionary<string, List<(int Report, Committed State)>>(StringComparer.Ordinal);
        var candidates = await ResolveCandidatesAsync(selected.Select(k => k.Unit).ToList(), cancellationToken).ConfigureAwait(false);
        EngineLog.PassStarted(logger, asked.Count, candidates.Count, request.DryRun ? " (dry run)" : "");

        foreach (var unitParts in selected.GroupBy(k => k.Unit.UnitName, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var plans = new List<UnitPlan>();
            var refusals = new List<(string Key, string Why)>();
            foreach (var (key, part) in unitParts)
            {
                if (!ImageReference.TryParse(part.ImageReference, out _, out var referenceError))
                {
                    var why = $"'{part.ImageReference}' is not a fully qualified image reference ({referenceError}); it cannot be checked";
                    EngineLog.DiscoveryProblem(logger, key, part.UnitName, why);
                    reports.Add(new UnitReport(key, part.ImageReference, "", null, UnitStatus.Failed, why, [], ""));
                    refusals.Add((key, why));
                    continue;
                }
                var plan = Plan(key, UnitKey.WithWholeUnit(part, discovery.Units), candidates, request.DryRun, out var labelErrors) with
                {
                    Group = groups[part.ImageReference].Where(m => m != key).ToList(),
                };
                if (labelErrors.Count > 0)
                {
                    refusals.Add((key, "bad health labels: " + string.Join("; ", labelErrors)));
                }
                plans.Add(plan);
            }
            if (refusals.Count > 0)
            {
                // A part that cannot be checked keeps every image of its unit where it is.
                foreach (var plan in plans)
                {
                    var own = refusals.FirstOrDefault(r => r.Key == plan.Unit).Why;
                    reports.Add(_reporter.Report(new Failed(plan, null, null, own ?? $"not checked: {refusals[0].Key}: {refusals[0].Why}")));
                }
                continue;
            }
            var finals = plans.Count == 1 ? [await RunUnitAsync(plans[0], cancellationToken).ConfigureAwait(false)]
                : await RunPartsAsync(plans, cancellationToken).ConfigureAwait(false);
            foreach (var final in finals)
            {
                reports.Add(_reporter.Report(final));
                try
                {
                    await KeepGroupTogetherAsync(final, reports, committed).ConfigureAwait(false);
                    if (final is Committed { Plan.IsRestore: false })
                    {
                        await _pruner.PruneAsync(final.Plan, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (UnitFailure.Ends(e, cancellationToken))
                {
                    var plan = final.Plan;
                    EngineLog.Failed(logger, plan.Unit, plan.ImageReference, plan.RunningDigest, plan.Candidate ?? "", $"after the update: {UnitFailure.Describe(e)}");
                }
            }
        }
        var discovered = keyed.Select(k => k.Key).Concat(discovery.Problems.Select(p => p.UnitName ?? p.Subject)).ToHashSet(StringComparer.Ordinal);
        try
        {
            foreach (var state in await _absent.JudgeAsync(discovered, request, cancellationToken).ConfigureAwait(false))
            {
                reports.Add(_reporter.Report(state));
            }
        }
        catch (Exception e) when (UnitFailure.Ends(e, cancellationToken))
        {
            EngineLog.HistoryStoreFailed(logger, history.Path, $"units that stopped running could not be judged: {UnitFailure.Describe(e)}");
        }
        PruneHistory();
        var report = new PassReport(WithContainers(reports, discovery.Units), candidates.Count, watch.Elapsed);
        EngineLog.PassFinished(logger, watch.Elapsed.TotalSeconds, report.Summary);
        return report;
    }

    // Each report names the unit's policy and containers as discovery found them, so a report can be
    // read per container the way podman auto-update reports.
    private static List<UnitReport> WithContainers(List<UnitReport> reports, IReadOnlyList<ManagedUnit> units)
    {
        var byName = UnitKey.Of(units).GroupBy(k => k.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Unit, StringComparer.Ordinal);
        return reports.Select(r => byName.TryGetValue(r.Unit, out var unit)
            ? r with { Policy = unit.Policy.ToString().ToLowerInvariant(), Containers = unit.Containers.Select(c => new ReportedContainer(c.Id, c.Name)).ToList() }
            : r).ToList();
    }

    // Retention runs after the first pass and then at most once a day: it is a maintenance chore, not per-pass work.
    private void PruneHistory()
    {
        var now = time.GetUtcNow();
        if (_lastPrune is { } last && now - last < TimeSpan.FromDays(1))
        {
            return;
        }
        _lastPrune = now;
        try
        {
            var removed = history.Prune(options.HistoryRetention);
            if (removed > 0)
            {
                EngineLog.HistoryPruned(logger, removed, (int)options.HistoryRetention.TotalDays);
            }
        }
        catch (Exception e)
        {
            EngineLog.HistoryStoreFailed(logger, history.Path, $"old history could not be removed: {UnitFailure.Describe(e)}");
        }
    }

    /// <summary>The parts of a unit that runs several images, moved together; whatever escapes (a bug) is still only this unit's failure.</summary>
    private async Task<IReadOnlyList<UpdateState>> RunPartsAsync(IReadOnlyList<UnitPlan> plans, CancellationToken cancellationToken)
    {
        try
        {
            return await machine.RunTogetherAsync(plans, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (UnitFailure.Ends(e, cancellationToken))
        {
            return plans.Select(plan => (UpdateState)new Failed(plan, plan.Candidate, null, UnitFailure.Describe(e))).ToList();
        }
    }

    /// <summary>The unit's state machine from judging on; whatever escapes it (a bug) is still only this unit's failure.</summary>
    private async Task<UpdateState> RunUnitAsync(UnitPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            return await machine.RunAsync(new Judging(plan), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (UnitFailure.Ends(e, cancellationToken))
        {
            return new Failed(plan, plan.Candidate, null, UnitFailure.Describe(e));
        }
    }

    /// <summary>
    /// A group moves together: a member that failed its health gate on a candidate takes back the
    /// members that committed it earlier in the pass (their tag was moved back under them anyway).
    /// </summary>
    private async Task KeepGroupTogetherAsync(UpdateState state, List<UnitReport> reports, Dictionary<string, List<(int Report, Committed State)>> committed)
    {
        var reference = state.Plan.ImageReference;
        if (state is Committed { Plan.IsRestore: false } done && done.Plan.Group.Count > 0)
        {
            (committed.TryGetValue(reference, out var list) ? list : committed[reference] = []).Add((reports.Count - 1, done));
            return;
        }
        if (state is not RolledBack { Quarantined: true } failed || !committed.Remove(reference, out var members))
        {
            return;
        }
        foreach (var (index, member) in members.Where(m => m.State.Candidate == failed.Candidate))
        {
            var plan = member.Plan;
            var why = $"rolled back with its group: {failed.Plan.Unit}, which shares {reference}, failed its health gate on {failed.Candidate}";
            var previous = history.VerifiedHistory(plan.Unit, 2).Skip(1).FirstOrDefault() ?? plan.Verified;
            var id = history.BeginUpdate(plan.Unit, reference, member.Candidate, plan.RunningDigest, plan.RunningImageId, "group", "", why);
            // The machine turns any failure of the rollback into the member's failure and closes the record.
            var back = await machine.RunAsync(new RollingBack(plan, member.Candidate, id, why, Quarantine: true, previous is null ? null : previous with { How = "rolled back" }),
                CancellationToken.None).ConfigureAwait(false);
            reports[index] = _reporter.Report(back);
        }
    }

    private UnitPlan Plan(string key, ManagedUnit unit, IReadOnlyDictionary<string, ResolvedCandidate> candidates, bool dryRun, out List<string> labelErrors)
    {
        var candidate = candidates.TryGetValue(unit.ImageReference, out var found) ? found : new ResolvedCandidate(null, null, "not resolved");
        return _planner.ForPass(key, unit, candidate.Digest, candidate.Error, candidate.LocalImageId, dryRun, out labelErrors) with { Unmanageable = candidate.Unmanageable };
    }

    // One registry request per distinct image per pass (a HEAD for the tag), several at a time.
    private async Task<IReadOnlyDictionary<string, ResolvedCandidate>> ResolveCandidatesAsync(IReadOnlyList<ManagedUnit> units, CancellationToken cancellationToken)
    {
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, ResolvedCandidate>(StringComparer.Ordinal);
        var distinct = units.GroupBy(u => u.ImageReference, StringComparer.Ordinal).Select(g => g.First()).ToList();
        await Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = EngineOptions.MaxParallelChecks, CancellationToken = cancellationToken },
            async (unit, token) => results[unit.ImageReference] = await ResolveOneAsync(unit, token).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    private async Task<ResolvedCandidate> ResolveOneAsync(ManagedUnit unit, CancellationToken cancellationToken)
    {
        try
        {
            if (unit.Policy == AutoUpdatePolicy.Local)
            {
                var local = await podman.ReadLocalTagAsync(unit.ImageReference, cancellationToken).ConfigureAwait(false);
                // The image ID is kept with the digest: the unit is later pointed at exactly this image, whatever the tag names by then.
                if (local is { Digests.Count: > 0 })
                {
                    return new ResolvedCandidate(local.Digests[0], local.ImageId, null);
                }
                // Signatures name registry digests: an image built or loaded here has none, so no policy can
                // ever accept it, and waiting ("undecided") would never end. Say so once, with the way out.
                var why = $"the local image {unit.ImageReference} has no registry digest, so no signature can name it; "
                    + "push it to a registry, sign it and run it from there (io.containers.autoupdate=registry), or stop managing it (io.containers.autoupdate=disabled)";
                return local is null
                    ? new ResolvedCandidate(null, null, $"the local tag {unit.ImageReference} does not exist")
                    : new ResolvedCandidate(null, null, why) { Unmanageable = why };
            }
            if (!ImageReference.TryParse(unit.ImageReference, out var image, out var parseError))
            {
                return new ResolvedCandidate(null, null, $"'{unit.ImageReference}' is not a fully qualified image reference: {parseError}");
            }
            return new ResolvedCandidate(await registry.ResolveDigestAsync(image, cancellationToken).ConfigureAwait(false), null, null);
        }
        catch (RegistryLookupException e) when (e.IsPermanent)
        {
            var why = $"{e.Message}; unblock it there, or run the image from a registry that is not blocked";
            return new ResolvedCandidate(null, null, why) { Unmanageable = why };
        }
        catch (Exception e) when (UnitFailure.Ends(e, cancellationToken))
        {
            return new ResolvedCandidate(null, null, $"could not resolve {unit.ImageReference}: {UnitFailure.Describe(e)}");
        }
    }

    /// <summary>What a tag names now: a digest (and, for the local policy, the image), or why it is not known.</summary>
    private sealed record ResolvedCandidate(string? Digest, string? LocalImageId, string? Error)
    {
        /// <summary>Why nothing can ever verify what the tag names (a local image without a registry digest).</summary>
        public string? Unmanageable { get; init; }
    }
}
