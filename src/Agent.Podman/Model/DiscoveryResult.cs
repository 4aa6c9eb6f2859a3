namespace UpdateAgent.Podman;

/// <summary>The units found to update, and the containers or units that could not be taken in.</summary>
/// <param name="Units">Units ready to be updated, ordered by name.</param>
/// <param name="Problems">One entry per container or unit left out, with the reason.</param>
public sealed record DiscoveryResult(IReadOnlyList<ManagedUnit> Units, IReadOnlyList<DiscoveryProblem> Problems);
