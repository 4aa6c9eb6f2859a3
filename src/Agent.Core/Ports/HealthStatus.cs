namespace UpdateAgent.Core.Ports;

/// <summary>A container's health as podman reports it.</summary>
public enum HealthStatus
{
    /// <summary>No health check is defined.</summary>
    None,

    /// <summary>Within the start period.</summary>
    Starting,

    /// <summary>The last checks passed.</summary>
    Healthy,

    /// <summary>The checks failed.</summary>
    Unhealthy,

    /// <summary>A status the engine does not know.</summary>
    Unknown,
}
