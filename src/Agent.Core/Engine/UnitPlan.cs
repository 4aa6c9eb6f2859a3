using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>Everything the state machine knows about one unit at the start of its update.</summary>
/// <param name="Unit">The unit's key in the history (<see cref="UnitKey"/>): its name, or <c>UNIT/IMAGE</c> for one image of a unit that runs several.</param>
/// <param name="Policy">Its auto-update policy.</param>
/// <param name="ImageReference">The reference its containers were created from, e.g. <c>registry/app:latest</c>.</param>
/// <param name="Image">The same, parsed.</param>
/// <param name="Containers">Names of its containers.</param>
/// <param name="RunningImageId">The local image it runs now (what a rollback restores).</param>
/// <param name="RunningDigests">Digests of that image in its repository.</param>
/// <param name="Candidate">The digest the registry's tag (or the local tag) names now, if known.</param>
/// <param name="CandidateError">Why the candidate is not known, if it is not.</param>
/// <param name="Health">Its health gate.</param>
/// <param name="DryRun">Only report: verify but change nothing.</param>
public sealed record UnitPlan(
    string Unit,
    AutoUpdatePolicy Policy,
    string ImageReference,
    ImageReference Image,
    IReadOnlyList<string> Containers,
    string RunningImageId,
    IReadOnlyList<string> RunningDigests,
    string? Candidate,
    string? CandidateError,
    HealthGateSettings Health,
    bool DryRun)
{
    /// <summary>The ledger's entry for what the unit runs, once <see cref="Judging"/> found it verified.</summary>
    public LedgerEntry? Verified { get; init; }

    /// <summary>What to do when the unit runs an image that was not verified.</summary>
    public UnverifiedAction OnUnverified { get; init; } = UnverifiedAction.Restore;

    /// <summary>For the <c>local</c> policy: the image ID the local tag named when the candidate was read (what gets verified and run).</summary>
    public string? CandidateImageId { get; init; }

    /// <summary>
    /// The other units whose containers run the same image reference: they share its tag, so they are
    /// held, quarantined, updated and rolled back as one group.
    /// </summary>
    public IReadOnlyList<string> Group { get; init; } = [];

    /// <summary>Why no update of this unit can ever be verified (a <c>local</c> image without a registry digest): it is left alone and reported unmanageable.</summary>
    public string? Unmanageable { get; init; }

    /// <summary>This "update" puts the ledger's current digest back in place of an unverified image.</summary>
    public bool IsRestore { get; init; }

    /// <summary>For a restore: what runs and why it was not verified.</summary>
    public string RestoreReason { get; init; } = "";

    /// <summary>The systemd unit restarted and judged for this plan.</summary>
    public string ServiceUnit => UnitKey.ServiceOf(Unit);

    /// <summary>The digest shown as "running": the first known, or the image ID when it has none.</summary>
    public string RunningDigest => RunningDigests.Count > 0 ? RunningDigests[0] : RunningImageId;

    /// <summary>Where the previous image is kept while the unit runs a candidate: never pruned, one per unit.</summary>
    public string RollbackTag => $"{Image.Name}:{RollbackTagName(Unit)}";

    /// <summary>A tag name for the unit's rollback image (tag characters only, at most 128).</summary>
    public static string RollbackTagName(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var safe = new string(unit.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-').ToArray());
        var name = "update-agent-rollback-" + safe;
        return name.Length <= 128 ? name : name[..128];
    }
}
