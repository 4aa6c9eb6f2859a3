namespace UpdateAgent.Core.Health;

/// <summary>What the health gate found: healthy or not, with every finding.</summary>
/// <param name="Healthy">True when every check passed.</param>
/// <param name="Findings">What each check saw, in order; the failing one last.</param>
public sealed record HealthVerdict(bool Healthy, IReadOnlyList<string> Findings)
{
    /// <summary>The findings as one line each.</summary>
    public string Summary => string.Join("; ", Findings);
}
