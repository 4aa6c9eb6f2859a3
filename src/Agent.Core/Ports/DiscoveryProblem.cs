namespace UpdateAgent.Core.Ports;

/// <summary>A container that could not be taken in; discovery goes on without it and the pass reports it.</summary>
/// <param name="Subject">The container (or pod).</param>
/// <param name="UnitName">Its unit, when known.</param>
/// <param name="Message">What is wrong.</param>
public sealed record DiscoveryProblem(string Subject, string? UnitName, string Message);
