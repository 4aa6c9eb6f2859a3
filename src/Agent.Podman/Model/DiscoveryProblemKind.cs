namespace UpdateAgent.Podman;

/// <summary>What a discovery problem means for the unit.</summary>
public enum DiscoveryProblemKind
{
    /// <summary>The unit or container could not be read this pass (an error, a bad label).</summary>
    Failed,

    /// <summary>
    /// The unit was read but is of a shape the agent does not update (its containers run several
    /// images): it is left exactly as it runs, and reported until the operator changes it.
    /// </summary>
    Unmanageable,
}
