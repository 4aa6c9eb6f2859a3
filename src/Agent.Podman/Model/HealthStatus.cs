namespace UpdateAgent.Podman;

/// <summary>A container's health as its own health check last judged it.</summary>
public enum HealthStatus
{
    /// <summary>The container defines no health check.</summary>
    None,

    /// <summary>Checks have not passed yet, nor failed often enough to count as unhealthy.</summary>
    Starting,

    /// <summary>The last check passed.</summary>
    Healthy,

    /// <summary>The check failed its allowed number of times in a row.</summary>
    Unhealthy,

    /// <summary>Podman reported a status this client does not know; treat as not healthy.</summary>
    Unknown,
}
