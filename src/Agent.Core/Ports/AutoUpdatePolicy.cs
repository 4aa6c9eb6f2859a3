namespace UpdateAgent.Core.Ports;

/// <summary>How a unit's image is updated, from its <c>io.containers.autoupdate</c> label.</summary>
public enum AutoUpdatePolicy
{
    /// <summary><c>registry</c>: the tag is resolved in the registry and the candidate pulled by digest.</summary>
    Registry,

    /// <summary><c>local</c>: the candidate is whatever the local tag names now.</summary>
    Local,
}
