namespace UpdateAgent.Core.Ports;

/// <summary>A container that could not be taken in; discovery goes on without it and the pass reports it.</summary>
/// <param name="Subject">The container (or pod).</param>
/// <param name="UnitName">Its unit, when known.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Unmanageable">
/// True when the unit was read but is of a shape the agent does not update (reported
/// <c>unmanageable</c> and left alone); false when it could not be read (<c>failed</c>).
/// </param>
/// <param name="Image">The image reference(s) the unit runs, when known.</param>
public sealed record DiscoveryProblem(string Subject, string? UnitName, string Message, bool Unmanageable = false, string Image = "");
