namespace UpdateAgent.Podman.Discovery;

/// <summary>A unit's containers cannot be updated as one; discovery reports it as that unit's problem.</summary>
/// <param name="message">Why, naming the containers concerned.</param>
/// <param name="kind">Failed (could not be read) or unmanageable (a shape the agent does not update).</param>
/// <param name="image">The image references the unit runs, when known.</param>
internal sealed class UnitMismatchException(string message, DiscoveryProblemKind kind = DiscoveryProblemKind.Failed, string image = "")
    : Exception(message)
{
    public DiscoveryProblemKind Kind { get; } = kind;

    public string Image { get; } = image;
}
