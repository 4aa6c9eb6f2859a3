using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Engine;

/// <summary>What one pass found and did for one unit.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Image">Its reference.</param>
/// <param name="RunningDigest">What it ran when the pass began.</param>
/// <param name="Candidate">What the tag names now, if known.</param>
/// <param name="Status">Its status; people read its word (<c>updated</c>, <c>refused</c>, <c>rolled back</c>, <c>up to date</c>…).</param>
/// <param name="Detail">Reasons and findings.</param>
/// <param name="ReasonCodes">Stable reason codes of the verdict, if there was one.</param>
/// <param name="Signers">Authorities whose signatures verified.</param>
public sealed record UnitReport(string Unit, string Image, string RunningDigest, string? Candidate, UnitStatus Status, string Detail, IReadOnlyList<string> ReasonCodes, string Signers)
{
    /// <summary>The other units that run the same image reference and move with this one.</summary>
    public IReadOnlyList<string> Group { get; init; } = [];

    // A report from an older daemon has neither key: JSON then hands in null, read as empty.
    private readonly string _policy = "";
    private readonly IReadOnlyList<ReportedContainer> _containers = [];

    /// <summary>Its auto-update policy as podman spells it (<c>registry</c>, <c>local</c>); empty when discovery did not take the unit in.</summary>
    public string Policy { get => _policy; init => _policy = value ?? ""; }

    /// <summary>The containers discovery found in the unit when the pass began; empty when it found none.</summary>
    public IReadOnlyList<ReportedContainer> Containers { get => _containers; init => _containers = value ?? []; }
}

/// <summary>One container of a reported unit.</summary>
/// <param name="Id">Its full ID.</param>
/// <param name="Name">Its name.</param>
public sealed record ReportedContainer(string Id, string Name);

/// <summary>The result of one pass over the managed units.</summary>
/// <param name="Units">One report per unit (and per container that discovery could not take in).</param>
/// <param name="DistinctImages">How many distinct image references were checked.</param>
/// <param name="Duration">How long the pass took.</param>
public sealed record PassReport(IReadOnlyList<UnitReport> Units, int DistinctImages, TimeSpan Duration)
{
    /// <summary>Counts per status, e.g. <c>2 up to date, 1 refused</c>.</summary>
    public string Summary => Units.Count == 0
        ? "no managed units"
        : string.Join(", ", Units.GroupBy(u => u.Status.Word()).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
}

/// <summary>What a pass should do.</summary>
/// <param name="DryRun">Verify and report only.</param>
/// <param name="Units">Only these units (empty: all).</param>
public sealed record PassRequest(bool DryRun = false, IReadOnlyList<string>? Units = null);
