using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

public sealed partial class UpdateMachine
{
    /// <summary>
    /// An image carries a few repository digests (an index's and its platform manifest's); more is
    /// not a real image, and each costs a verification.
    /// </summary>
    private const int MaxRunningDigests = 4;

    /// <summary>
    /// What runs is judged before anything else (after whether the unit pulls on start, which makes
    /// it unmanageable): the ledger's current entry costs nothing; anything
    /// else is verified now (registry reads only, nothing is pulled). What cannot be verified is
    /// <c>unverified</c> — restored to the ledger's digest, or reported — and never "up to date".
    /// </summary>
    private async Task<UpdateState> JudgeAsync(Judging s, CancellationToken cancellationToken)
    {
        var plan = s.Plan;
        // A unit that pulls its tag on every start runs whatever the registry names at any restart:
        // nothing update-agent does can keep it on a verified image, so it is not touched at all.
        if (PullOnStart.Reason(await units.GetExecStartAsync(plan.ServiceUnit, cancellationToken).ConfigureAwait(false)) is { } pulls)
        {
            return new Unmanageable(plan, pulls);
        }
        if (plan.Unmanageable is { } never)
        {
            return new Unmanageable(plan, never);
        }
        var current = history.CurrentVerified(plan.Unit);
        if (current is not null && current.IsRunBy(plan.RunningImageId, plan.RunningDigests))
        {
            return new Checking(plan with { Verified = current });
        }
        var hold = GroupHold(plan);
        var reasons = new List<string>();
        var undecided = new List<string>();
        if (plan.RunningDigests.Count == 0)
        {
            reasons.Add($"its image {plan.RunningImageId} has no digest in {plan.Image.Name}, so nothing says where it came from");
        }
        else if (current is not null && hold is not null)
        {
            // A hold keeps the unit where it was: another digest, however well signed, is not what the operator held it on.
            reasons.Add($"the unit is held on {current.Digest} ({hold})");
        }
        else
        {
            var facts = await FactsOfAsync(current, plan, cancellationToken).ConfigureAwait(false);
            foreach (var digest in plan.RunningDigests.Take(MaxRunningDigests))
            {
                var verdict = await verifier.VerifyAsync(plan.Image, digest, facts(digest), cancellationToken).ConfigureAwait(false);
                var platform = verdict.Facts?.PlatformDigest ?? digest;
                var quarantinedFor = GroupQuarantine(plan, digest) ?? GroupQuarantine(plan, platform);
                switch (verdict.Outcome)
                {
                    case VerdictOutcome.Accepted when quarantinedFor is not null:
                        // Signed and blessed, but it failed its health gate here: it is not what this unit should run.
                        reasons.Add($"{digest} is quarantined: it failed its health gate on {quarantinedFor}");
                        break;
                    case VerdictOutcome.Accepted when platform == digest || plan.RunningDigests.Contains(platform, StringComparer.Ordinal):
                        var entry = history.RecordVerified(new LedgerEntry(plan.Unit, plan.ImageReference, digest, platform, plan.RunningImageId,
                            current is null ? "adopted" : "verified", Signers(verdict), Summary(verdict), default) { SignedVersion = verdict.Facts?.SignedVersion });
                        return new Checking(plan with { Verified = entry });
                    case VerdictOutcome.Accepted:
                        reasons.Add($"{digest} is an index whose entry for this host is {platform}, but the image that runs is another entry");
                        break;
                    case VerdictOutcome.Undecided:
                        undecided.Add($"{digest}: {string.Join("; ", verdict.Reasons.Select(r => r.ToString()))}");
                        break;
                    default:
                        reasons.Add($"{digest}: {string.Join("; ", verdict.Reasons.Select(r => r.ToString()))}");
                        break;
                }
            }
        }
        if (reasons.Count == 0 && undecided.Count > 0)
        {
            // A registry outage is not evidence against what runs; nothing is restarted on it.
            return new Unchanged(plan, UnitStatus.Undecided, "what runs could not be verified now: " + string.Join("; ", undecided));
        }
        return Unverified(plan, current, hold, $"runs {plan.RunningDigest}, which update-agent did not verify: {string.Join("; ", reasons.Concat(undecided))}");
    }

    private UpdateState Unverified(UnitPlan plan, LedgerEntry? current, string? hold, string why)
    {
        if (current is null)
        {
            return new Unverified(plan, why + "; it never ran a verified digest, so there is nothing to restore: it is only reported");
        }
        if (plan.OnUnverified == UnverifiedAction.Report)
        {
            return new Unverified(plan, why + $"; on_unverified = \"report\", so the verified {current.Digest} is not restored");
        }
        if (plan.DryRun)
        {
            return new Unverified(plan, why + $"; would restore the verified {current.Digest}");
        }
        var restore = plan with { IsRestore = true, Verified = current, RestoreReason = why };
        var id = history.BeginUpdate(plan.Unit, plan.ImageReference, plan.RunningDigest, current.Digest, plan.RunningImageId,
            RestoreVerdict, current.Signers, why + (hold is null ? "" : $"; held: {hold}"), Journaled(new Pulling(restore, current.Digest, current.PlatformDigest, 0)));
        return new Pulling(restore, current.Digest, current.PlatformDigest, id);
    }

    /// <summary>
    /// A hold on any unit that shares the image reference holds them all: they share the tag, so
    /// moving it for one moves it under the others at their next restart. A hold on a unit that runs
    /// several images holds each of them.
    /// </summary>
    private string? GroupHold(UnitPlan plan) =>
        history.HoldReason(plan.Unit)
        ?? (plan.ServiceUnit != plan.Unit && history.HoldReason(plan.ServiceUnit) is { } unitHold ? $"{plan.ServiceUnit} is held: {unitHold}" : null)
        ?? plan.Group.Select(u => history.HoldReason(u) is { } reason ? $"{u} shares {plan.ImageReference} and is held: {reason}" : null).FirstOrDefault(r => r is not null);

    /// <summary>A digest quarantined for any unit of the group is quarantined for all of them (same reason as <see cref="GroupHold"/>).</summary>
    private string? GroupQuarantine(UnitPlan plan, string digest) =>
        plan.Group.Prepend(plan.Unit).FirstOrDefault(u => history.IsQuarantined(u, digest));

    /// <summary>The verdict column of a restore's history row.</summary>
    public const string RestoreVerdict = "restore";

    /// <summary>
    /// Facts of what the unit should run, to judge what does run against it: a digest other than the
    /// ledger's is judged for age against the ledger's image, so an older signed release brought
    /// back by hand is a downgrade, not an adoption.
    /// </summary>
    private async Task<Func<string, RunningImageFacts>> FactsOfAsync(LedgerEntry? current, UnitPlan plan, CancellationToken cancellationToken)
    {
        var replaced = history.ReplacedDigests(plan.Unit);
        if (current is null || current.ImageId.Length == 0)
        {
            return digest => new RunningImageFacts(digest, null, null, replaced);
        }
        var (created, version, label) = await ImageAgeAsync(current.ImageId, cancellationToken).ConfigureAwait(false);
        return _ => new RunningImageFacts(current.Digest, created, version, replaced) { CreatedLabel = label, SignedVersion = current.SignedVersion };
    }

    /// <summary>The local image an update or restore runs when nothing needs pulling: a restore's image if still present, or the local policy's verified image.</summary>
    private async Task<string?> LocalImageAsync(UnitPlan plan, CancellationToken cancellationToken)
    {
        if (plan.IsRestore)
        {
            return plan.Verified is { ImageId.Length: > 0 } entry && await podman.ImageExistsAsync(entry.ImageId, cancellationToken).ConfigureAwait(false)
                ? entry.ImageId
                : null;
        }
        if (plan.Policy == AutoUpdatePolicy.Local)
        {
            return plan.CandidateImageId ?? (await podman.InspectImageAsync(plan.ImageReference, cancellationToken).ConfigureAwait(false)).Id;
        }
        return null;
    }
}
