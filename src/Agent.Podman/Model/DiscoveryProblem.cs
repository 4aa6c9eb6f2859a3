namespace UpdateAgent.Podman;

/// <summary>Why a container or unit was left out of discovery; the others are still reported.</summary>
/// <param name="Subject">The container name (or unit name when the problem is the unit's).</param>
/// <param name="UnitName">The unit concerned, when known.</param>
/// <param name="Message">What is wrong, in words an operator can act on.</param>
/// <param name="Kind">Whether the unit failed to be read or is one the agent does not update.</param>
/// <param name="Image">The image references the unit runs, when they are known (for the report).</param>
public sealed record DiscoveryProblem(string Subject, string? UnitName, string Message,
    DiscoveryProblemKind Kind = DiscoveryProblemKind.Failed, string Image = "");
