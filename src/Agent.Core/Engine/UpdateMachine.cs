using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// One unit's update as an explicit state machine:
/// <c>Judging → Checking → Verifying → Pulling → Tagging → Restarting → HealthGating → Committed</c>, with
/// <c>Refused</c>, <c>Unchanged</c>, <c>Unverified</c>, <c>RollingBack → RolledBack</c> and <c>Failed</c>.
/// Judging comes first: a unit that runs an image nobody verified is never "up to date"; when the
/// ledger holds a verified digest for it, that digest is restored through the same pull, tag,
/// restart and health-gate steps (and a restore is never rolled back onto the unverified image). One method
/// per transition; each journals its intent before touching the host and its outcome after.
/// Once the host has been changed (from tagging on) a stop request no longer aborts: the update
/// is finished or rolled back, so no unit is left on an image that was not verified and judged.
/// </summary>
/// <param name="podman">Podman.</param>
/// <param name="verifier">The trust policy.</param>
/// <param name="units">systemd.</param>
/// <param name="health">The health gate.</param>
/// <param name="history">The history and intent journal.</param>
/// <param name="logger">Where events go.</param>
/// <param name="checkpoint">Told the name of each step once its outcome is journaled (crash tests use it).</param>
/// <param name="status">Told a short line whenever a step begins ("restart app.service"), for systemd's STATUS=.</param>
public sealed partial class UpdateMachine(
    IContainerHost podman, IImageVerifier verifier, IUnitControl units, HealthGate health,
    HistoryStore history, ILogger logger, Action<string>? checkpoint = null, Action<string>? status = null)
{
    /// <summary>Tells the checkpoint a step outside the machine's own (recovery's start) has been reached.</summary>
    internal void Reached(string step) => checkpoint?.Invoke(step);

    /// <summary>Drives <paramref name="start"/> to a terminal state, reports it, and returns it.</summary>
    public async Task<UpdateState> RunAsync(UpdateState start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        return (await DriveAsync([start], static _ => false, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// Drives every state that is neither terminal nor one <paramref name="stopAt"/> stops at. The
    /// steps a unit takes once for all its images — restart, health gate, rollback — move every
    /// state in that step at once; the others move one state at a time.
    /// </summary>
    private async Task<List<UpdateState>> DriveAsync(IReadOnlyList<UpdateState> start, Func<UpdateState, bool> stopAt, CancellationToken cancellationToken)
    {
        var states = start.ToList();
        while (states.FindIndex(s => !s.IsTerminal && !stopAt(s)) is var first and >= 0)
        {
            var kind = states[first].GetType();
            List<int> batch = IsJoint(states[first])
                ? Enumerable.Range(0, states.Count).Where(i => states[i].GetType() == kind).ToList()
                : [first];
            try
            {
                var next = await NextAsync(batch.Select(i => states[i]).ToList(), cancellationToken).ConfigureAwait(false);
                var guarded = batch.Select((i, k) => Guarded(states[i], next[k])).ToList();
                for (var k = 0; k < batch.Count; k++)
                {
                    states[batch[k]] = guarded[k];
                }
            }
            catch (Exception e) when (!(UnitFailure.IsStop(e, cancellationToken) && !IsUnderway(states[first])))
            {
                // The one failure rule: whatever a step throws ends this update the safe way for its state.
                foreach (var i in batch)
                {
                    states[i] = Fail(states[i], e, UnitFailure.IsStop(e, cancellationToken));
                }
            }
        }
        return states;
    }

    /// <summary>Whether the step of <paramref name="state"/> acts on the unit as a whole (once for all its images).</summary>
    private static bool IsJoint(UpdateState state) => state is Restarting or HealthGating or RollingBack;

    private async Task<IReadOnlyList<UpdateState>> NextAsync(IReadOnlyList<UpdateState> batch, CancellationToken cancellationToken) => batch[0] switch
    {
        Restarting => await RestartAsync(batch.Cast<Restarting>().ToList()).ConfigureAwait(false),
        HealthGating => await GateAsync(batch.Cast<HealthGating>().ToList(), cancellationToken).ConfigureAwait(false),
        RollingBack => await RollBackAsync(batch.Cast<RollingBack>().ToList()).ConfigureAwait(false),
        var one => [await NextAsync(one, cancellationToken).ConfigureAwait(false)],
    };

    private async Task<UpdateState> NextAsync(UpdateState state, CancellationToken cancellationToken) => state switch
    {
        Judging s => await JudgeAsync(s, cancellationToken).ConfigureAwait(false),
        Checking s => Check(s),
        Verifying s => await VerifyAsync(s, cancellationToken).ConfigureAwait(false),
        Accepted s => Accept(s, cancellationToken),
        Pulling s => await PullAsync(s, cancellationToken).ConfigureAwait(false),
        Tagging s => await TagAsync(s).ConfigureAwait(false),
        _ => throw new InvalidOperationException($"no transition leaves {state.GetType().Name}"),
    };

    private UpdateState Check(Checking s)
    {
        var plan = s.Plan;
        if (plan.Candidate is not { } candidate)
        {
            return new Unchanged(plan, UnitStatus.Undecided, plan.CandidateError ?? "the candidate digest is unknown");
        }
        if (plan.RunningDigests.Contains(candidate, StringComparer.Ordinal)
            || (plan.Verified is { } verified && verified.Digest == candidate && verified.IsRunBy(plan.RunningImageId, plan.RunningDigests)))
        {
            return new Unchanged(plan, UnitStatus.UpToDate, $"runs {candidate}, verified{(plan.Verified is { } v ? $" ({v.How} {v.At:u})" : "")}");
        }
        if (GroupQuarantine(plan, candidate) is { } quarantinedFor)
        {
            return new Unchanged(plan, UnitStatus.Quarantined,
                $"{candidate} failed its health gate here before{(quarantinedFor != plan.Unit ? $" on {quarantinedFor}, which shares {plan.ImageReference}" : "")}; release it with 'update-agent quarantine release {quarantinedFor} {candidate}'");
        }
        checkpoint?.Invoke("resolve");
        return new Verifying(plan, candidate);
    }

    private async Task<UpdateState> VerifyAsync(Verifying s, CancellationToken cancellationToken)
    {
        var plan = s.Plan;
        var running = await RunningFactsAsync(plan, cancellationToken).ConfigureAwait(false);
        var verdict = await verifier.VerifyAsync(plan.Image, s.Candidate, running, cancellationToken).ConfigureAwait(false);
        var reasons = string.Join("; ", verdict.Reasons.Select(r => r.ToString()));
        switch (verdict.Outcome)
        {
            case VerdictOutcome.Refused:
                return new Refused(plan, s.Candidate, verdict);
            case VerdictOutcome.Undecided:
                return new Unchanged(plan, UnitStatus.Undecided, reasons, verdict);
        }
        // The verdict judged one image manifest for this host; that one is pulled, so podman never picks an index entry itself.
        var platform = verdict.Facts?.PlatformDigest ?? s.Candidate;
        if (platform != s.Candidate && GroupQuarantine(plan, platform) is { } quarantinedFor)
        {
            return new Unchanged(plan, UnitStatus.Quarantined,
                $"{s.Candidate} names {platform} for this host, which failed its health gate here before; release it with 'update-agent quarantine release {quarantinedFor} {platform}'", verdict);
        }
        if (plan.RunningDigests.Contains(platform, StringComparer.Ordinal))
        {
            return new Unchanged(plan, UnitStatus.UpToDate, $"runs {platform}, which {s.Candidate} names for this host", verdict);
        }
        if (plan.DryRun)
        {
            return new Unchanged(plan, UnitStatus.Pending, $"accepted; would move to {s.Candidate}{(platform != s.Candidate ? $" ({platform} for this host)" : "")}", verdict);
        }
        if (GroupHold(plan) is { } hold)
        {
            return new Unchanged(plan, UnitStatus.Held, $"accepted {s.Candidate}, but the unit is held: {hold}", verdict);
        }
        return new Accepted(plan, s.Candidate, platform, verdict);
    }

    private Pulling Accept(Accepted s, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested(); // last point where stopping leaves nothing to undo
        var plan = s.Plan;
        var reasons = string.Join("; ", s.Verdict.Reasons.Select(r => r.ToString()));
        // The record and its pending ledger entry are one write: recovery never finds one without the other.
        var id = history.BeginPendingUpdate(plan.Unit, plan.ImageReference, plan.RunningDigest, s.Candidate, plan.RunningImageId,
            Signers(s.Verdict), reasons, s.PullDigest, Summary(s.Verdict), s.Verdict.Facts?.SignedVersion);
        checkpoint?.Invoke("verify");
        return new Pulling(plan, s.Candidate, s.PullDigest, id);
    }

    private async Task<UpdateState> PullAsync(Pulling s, CancellationToken cancellationToken)
    {
        var plan = s.Plan;
        Step(s, UpdateStep.Pull, $"pull {PullReference(s)}", s.Candidate);
        var imageId = await LocalImageAsync(plan, cancellationToken).ConfigureAwait(false)
            ?? (await podman.PullByDigestAsync(PullReference(s), cancellationToken).ConfigureAwait(false)).ImageId;
        history.SetPendingImage(s.UpdateId, imageId);
        var next = new Tagging(plan, s.Candidate, s.UpdateId, imageId);
        history.RecordOutcome(s.UpdateId, UpdateStep.Pull, $"image {imageId}", Journaled(next));
        checkpoint?.Invoke("pull");
        return next;
    }

    private static string PullReference(Pulling s) => $"{s.Plan.Image.Name}@{s.PullDigest}";

    private async Task<UpdateState> TagAsync(Tagging s)
    {
        var plan = s.Plan;
        // A restore keeps the rollback tag on the last verified image: an unverified one is never kept to return to.
        Step(s, UpdateStep.Tag, plan.IsRestore
            ? $"point {plan.ImageReference} at {s.CandidateImageId}"
            : $"keep {plan.RunningImageId} as {plan.RollbackTag}; point {plan.ImageReference} at {s.CandidateImageId}", s.Candidate);
        if (!plan.IsRestore)
        {
            await podman.TagImageAsync(plan.RunningImageId, plan.RollbackTag, CancellationToken.None).ConfigureAwait(false);
        }
        // Every policy, local too: the unit restarts into the image that was verified, not whatever the tag names by then.
        await podman.TagImageAsync(s.CandidateImageId, plan.ImageReference, CancellationToken.None).ConfigureAwait(false);
        var next = new Restarting(plan, s.Candidate, s.UpdateId);
        history.RecordOutcome(s.UpdateId, UpdateStep.Tag, "tagged", Journaled(next));
        checkpoint?.Invoke("tag");
        return next;
    }

    private async Task<RunningImageFacts> RunningFactsAsync(UnitPlan plan, CancellationToken cancellationToken)
    {
        var (created, version, label) = await ImageAgeAsync(plan.RunningImageId, cancellationToken).ConfigureAwait(false);
        return new RunningImageFacts(plan.RunningDigest, created, version, history.ReplacedDigests(plan.Unit))
        {
            CreatedLabel = label,
            SignedVersion = plan.Verified?.SignedVersion,
        };
    }

    private async Task<(DateTimeOffset? Created, string? Version, string? CreatedLabel)> ImageAgeAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            var image = await podman.InspectImageAsync(imageId, cancellationToken).ConfigureAwait(false);
            return (image.Created, image.Labels.GetValueOrDefault("org.opencontainers.image.version"), image.Labels.GetValueOrDefault("org.opencontainers.image.created"));
        }
        catch (ContainerHostException)
        {
            // Without these facts the verifier judges age from what it has; a missing image is not fatal here.
            return (null, null, null);
        }
    }

    // The intent and the state that acts on it are one write: recovery knows the step began.
    private void Step(UpdateState s, UpdateStep step, string intent, string candidate)
    {
        var plan = s.Plan;
        history.RecordIntent(RecordOf(s), step, intent, Journaled(s) with { Acting = true });
        status?.Invoke(step switch
        {
            UpdateStep.Pull => $"pulling {candidate} for {plan.Unit}",
            UpdateStep.Tag => $"tagging {plan.ImageReference} for {plan.Unit}",
            UpdateStep.Restart => $"restarting {plan.ServiceUnit}",
            UpdateStep.HealthGate => $"health gate of {plan.ServiceUnit}",
            _ => $"rolling back {plan.Unit}",
        });
        EngineLog.Step(logger, plan.Unit, intent, plan.ImageReference, candidate);
    }

    internal static string Summary(Verdict verdict) =>
        verdict.Outcome == VerdictOutcome.Accepted
            ? $"accepted, signed by {Signers(verdict)}"
            : $"{verdict.Outcome.ToString().ToLowerInvariant()}: {string.Join("; ", verdict.Reasons.Select(r => r.ToString()))}";

    internal static string Signers(Verdict verdict) => string.Join(",", verdict.Signers.Select(s => s.Authority).Distinct(StringComparer.Ordinal));

    private static string Describe(HealthGateSettings h) =>
        $"unit active{(h.ContainerHealth ? ", container health" : "")}{(h.HttpProbe is { } u ? $", GET {u}" : "")}{(h.Command is { Count: > 0 } c ? $", '{string.Join(' ', c)}'" : "")}, soak {h.Soak.TotalSeconds:0.#} s";
}
