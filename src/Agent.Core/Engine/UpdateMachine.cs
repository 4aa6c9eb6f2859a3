using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;
using UpdateAgent.Podman;
using UpdateAgent.Systemd;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// One unit's update as an explicit state machine:
/// <c>Checking → Verifying → Pulling → Tagging → Restarting → HealthGating → Committed</c>, with
/// <c>Refused</c>, <c>Unchanged</c>, <c>RollingBack → RolledBack</c> and <c>Failed</c>. One method
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
public sealed class UpdateMachine(
    IPodmanClient podman, ITrustVerifier verifier, IUnitControl units, HealthGate health,
    HistoryStore history, ILogger logger, Action<string>? checkpoint = null, Action<string>? status = null)
{
    /// <summary>Drives <paramref name="start"/> to a terminal state, reports it, and returns it.</summary>
    public async Task<UpdateState> RunAsync(UpdateState start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var state = start;
        while (!state.IsTerminal)
        {
            state = state switch
            {
                Checking s => Check(s),
                Verifying s => await VerifyAsync(s, cancellationToken).ConfigureAwait(false),
                Pulling s => await PullAsync(s, cancellationToken).ConfigureAwait(false),
                Tagging s => await TagAsync(s).ConfigureAwait(false),
                Restarting s => await RestartAsync(s).ConfigureAwait(false),
                HealthGating s => await GateAsync(s, cancellationToken).ConfigureAwait(false),
                RollingBack s => await RollBackAsync(s).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"no transition leaves {state.GetType().Name}"),
            };
        }
        return state;
    }

    private UpdateState Check(Checking s)
    {
        var plan = s.Plan;
        if (plan.Candidate is not { } candidate)
        {
            return new Unchanged(plan, CheckStatus.Undecided, plan.CandidateError ?? "the candidate digest is unknown");
        }
        if (plan.RunningDigests.Contains(candidate, StringComparer.Ordinal))
        {
            return new Unchanged(plan, CheckStatus.UpToDate, $"runs {candidate}");
        }
        if (history.IsQuarantined(plan.Unit, candidate))
        {
            return new Unchanged(plan, CheckStatus.Quarantined,
                $"{candidate} failed its health gate here before; release it with 'update-agent quarantine release {plan.Unit} {candidate}'");
        }
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
                return new Unchanged(plan, CheckStatus.Undecided, reasons, verdict);
        }
        if (plan.DryRun)
        {
            return new Unchanged(plan, CheckStatus.Pending, $"accepted; would move to {s.Candidate}", verdict);
        }
        if (history.HoldReason(plan.Unit) is { } hold)
        {
            return new Unchanged(plan, CheckStatus.Held, $"accepted {s.Candidate}, but the unit is held: {hold}", verdict);
        }
        cancellationToken.ThrowIfCancellationRequested(); // last point where stopping leaves nothing to undo
        var id = history.BeginUpdate(plan.Unit, plan.ImageReference, plan.RunningDigest, s.Candidate, plan.RunningImageId,
            "accepted", Signers(verdict), reasons);
        return new Pulling(plan, s.Candidate, verdict, id);
    }

    private async Task<UpdateState> PullAsync(Pulling s, CancellationToken cancellationToken)
    {
        var plan = s.Plan;
        var reference = $"{plan.Image.Name}@{s.Candidate}";
        Step(plan, s.UpdateId, UpdateStep.Pull, $"pull {reference}", s.Candidate);
        try
        {
            var imageId = plan.Policy == AutoUpdatePolicy.Local
                ? (await podman.InspectImageAsync(plan.ImageReference, cancellationToken).ConfigureAwait(false)).Id
                : (await podman.PullByDigestAsync(reference, cancellationToken).ConfigureAwait(false)).ImageId;
            history.RecordOutcome(s.UpdateId, UpdateStep.Pull, $"image {imageId}");
            checkpoint?.Invoke("pull");
            return new Tagging(plan, s.Candidate, s.UpdateId, imageId);
        }
        catch (Exception e) when (e is PodmanException or HttpRequestException or IOException or OperationCanceledException)
        {
            // Nothing on the host changed: the unit's tag still names what runs.
            var why = e is OperationCanceledException ? "stopped during the pull" : $"pull of {reference} failed: {e.Message}";
            history.RecordOutcome(s.UpdateId, UpdateStep.Pull, why);
            history.Finish(s.UpdateId, UpdateStatus.Failed, why);
            return new Failed(plan, s.Candidate, s.UpdateId, why + $"; still runs {plan.RunningDigest}");
        }
    }

    private async Task<UpdateState> TagAsync(Tagging s)
    {
        var plan = s.Plan;
        Step(plan, s.UpdateId, UpdateStep.Tag, $"keep {plan.RunningImageId} as {plan.RollbackTag}; point {plan.ImageReference} at {s.CandidateImageId}", s.Candidate);
        try
        {
            await podman.TagImageAsync(plan.RunningImageId, plan.RollbackTag, CancellationToken.None).ConfigureAwait(false);
            if (plan.Policy == AutoUpdatePolicy.Registry)
            {
                await podman.TagImageAsync(s.CandidateImageId, plan.ImageReference, CancellationToken.None).ConfigureAwait(false);
            }
            history.RecordOutcome(s.UpdateId, UpdateStep.Tag, "tagged");
            checkpoint?.Invoke("tag");
            return new Restarting(plan, s.Candidate, s.UpdateId);
        }
        catch (PodmanException e)
        {
            history.RecordOutcome(s.UpdateId, UpdateStep.Tag, e.Message);
            return new RollingBack(plan, s.Candidate, s.UpdateId, $"tagging failed: {e.Message}", Quarantine: false);
        }
    }

    private async Task<UpdateState> RestartAsync(Restarting s)
    {
        var plan = s.Plan;
        Step(plan, s.UpdateId, UpdateStep.Restart, $"restart {plan.Unit}", s.Candidate);
        JobOutcome job;
        try
        {
            job = await units.RestartAsync(plan.Unit, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SystemdJobException e)
        {
            // We lost sight of the job; that says nothing about the image, so no quarantine.
            history.RecordOutcome(s.UpdateId, UpdateStep.Restart, e.Message);
            return new RollingBack(plan, s.Candidate, s.UpdateId, e.Message, Quarantine: false);
        }
        checkpoint?.Invoke("restart");
        var state = job.StateAfter;
        var detail = $"job {job.ResultWord}; unit {state.ActiveState}/{state.SubState}, result {state.Result}";
        history.RecordOutcome(s.UpdateId, UpdateStep.Restart, detail);
        return job.Succeeded
            ? new HealthGating(plan, s.Candidate, s.UpdateId)
            : new RollingBack(plan, s.Candidate, s.UpdateId, $"restart failed: {detail}", Quarantine: true);
    }

    private async Task<UpdateState> GateAsync(HealthGating s, CancellationToken cancellationToken)
    {
        var plan = s.Plan;
        Step(plan, s.UpdateId, UpdateStep.HealthGate, $"health gate: {Describe(plan.Health)}", s.Candidate);
        checkpoint?.Invoke("health-gate");
        HealthVerdict verdict;
        try
        {
            verdict = await health.EvaluateAsync(plan.Unit, plan.Containers, plan.Health, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            history.RecordOutcome(s.UpdateId, UpdateStep.HealthGate, "stopped before the gate finished");
            return new RollingBack(plan, s.Candidate, s.UpdateId, "the agent stopped during the health gate", Quarantine: false);
        }
        catch (Exception e) when (e is PodmanException or SystemdException or TimeoutException)
        {
            history.RecordOutcome(s.UpdateId, UpdateStep.HealthGate, e.Message);
            return new RollingBack(plan, s.Candidate, s.UpdateId, $"the health gate could not run: {e.Message}", Quarantine: false);
        }
        history.RecordOutcome(s.UpdateId, UpdateStep.HealthGate, verdict.Summary);
        if (!verdict.Healthy)
        {
            return new RollingBack(plan, s.Candidate, s.UpdateId, $"health gate failed: {verdict.Summary}", Quarantine: true);
        }
        history.Finish(s.UpdateId, UpdateStatus.Updated, verdict.Summary);
        return new Committed(plan, s.Candidate, s.UpdateId, verdict);
    }

    private async Task<UpdateState> RollBackAsync(RollingBack s)
    {
        var plan = s.Plan;
        Step(plan, s.UpdateId, UpdateStep.RollBack, $"point {plan.ImageReference} back at {plan.RunningImageId}; restart {plan.Unit}", s.Candidate);
        try
        {
            // Quarantine first: a crash from here on must not let the bad digest be tried again.
            if (s.Quarantine)
            {
                history.Quarantine(plan.Unit, s.Candidate, s.Why);
            }
            await podman.TagImageAsync(plan.RunningImageId, plan.ImageReference, CancellationToken.None).ConfigureAwait(false);
            var job = await units.RestartAsync(plan.Unit, CancellationToken.None).ConfigureAwait(false);
            var after = job.Succeeded
                ? await health.EvaluateAsync(plan.Unit, plan.Containers, plan.Health with { Soak = TimeSpan.Zero }, CancellationToken.None).ConfigureAwait(false)
                : new HealthVerdict(false, [$"restart after the rollback ended '{job.ResultWord}'"]);
            var detail = after.Healthy ? $"previous image healthy: {after.Summary}" : $"previous image NOT healthy either: {after.Summary}";
            history.RecordOutcome(s.UpdateId, UpdateStep.RollBack, detail);
            history.Finish(s.UpdateId, s.Quarantine ? UpdateStatus.RolledBack : UpdateStatus.Abandoned, $"{s.Why}; {detail}");
            return new RolledBack(plan, s.Candidate, s.UpdateId, s.Why, after, s.Quarantine);
        }
        catch (Exception e) when (e is PodmanException or SystemdException or TimeoutException)
        {
            var why = $"{s.Why}; the rollback failed too: {e.Message}";
            history.RecordOutcome(s.UpdateId, UpdateStep.RollBack, why);
            history.Finish(s.UpdateId, UpdateStatus.Failed, why);
            return new Failed(plan, s.Candidate, s.UpdateId, why);
        }
    }

    private async Task<RunningImageFacts> RunningFactsAsync(UnitPlan plan, CancellationToken cancellationToken)
    {
        DateTimeOffset? created = null;
        string? version = null;
        try
        {
            var image = await podman.InspectImageAsync(plan.RunningImageId, cancellationToken).ConfigureAwait(false);
            created = image.Created;
            version = image.Labels.TryGetValue("org.opencontainers.image.version", out var v) ? v : null;
        }
        catch (PodmanException)
        {
            // Without these facts the verifier judges age from what it has; a missing image is not fatal here.
        }
        return new RunningImageFacts(plan.RunningDigest, created, version, history.ReplacedDigests(plan.Unit));
    }

    private void Step(UnitPlan plan, long updateId, UpdateStep step, string intent, string candidate)
    {
        history.RecordIntent(updateId, step, intent);
        status?.Invoke(step switch
        {
            UpdateStep.Pull => $"pulling {candidate} for {plan.Unit}",
            UpdateStep.Tag => $"tagging {plan.ImageReference} for {plan.Unit}",
            UpdateStep.Restart => $"restarting {plan.Unit}",
            UpdateStep.HealthGate => $"health gate of {plan.Unit}",
            _ => $"rolling back {plan.Unit}",
        });
        EngineLog.Step(logger, plan.Unit, intent, plan.ImageReference, candidate);
    }

    internal static string Signers(Verdict verdict) => string.Join(",", verdict.Signers.Select(s => s.Authority).Distinct(StringComparer.Ordinal));

    private static string Describe(HealthGateSettings h) =>
        $"unit active{(h.ContainerHealth ? ", container health" : "")}{(h.HttpProbe is { } u ? $", GET {u}" : "")}{(h.Command is { Count: > 0 } c ? $", '{string.Join(' ', c)}'" : "")}, soak {h.Soak.TotalSeconds:0.#} s";
}
