namespace UpdateAgent.Podman;

/// <summary>Why a container or unit was left out of discovery; the others are still reported.</summary>
/// <param name="Subject">The container name (or unit name when the problem is the unit's).</param>
/// <param name="UnitName">The unit concerned, when known.</param>
/// <param name="Message">What is wrong, in words an operator can act on.</param>
public sealed record DiscoveryProblem(string Subject, string? UnitName, string Message);
