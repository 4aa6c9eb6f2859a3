namespace UpdateAgent.Core.Ports;

/// <summary>The managed units found, and the containers that could not be taken in.</summary>
/// <param name="Units">The units, each with its containers.</param>
/// <param name="Problems">What could not be taken in.</param>
public sealed record DiscoveryResult(IReadOnlyList<ManagedUnit> Units, IReadOnlyList<DiscoveryProblem> Problems);
