namespace UpdateAgent.Podman.Operations;

/// <summary>Podman's health words, as both inspect and the health check endpoint spell them.</summary>
internal static class HealthStatuses
{
    public static HealthStatus Parse(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        null or "" or "NONE" => HealthStatus.None,
        "STARTING" => HealthStatus.Starting,
        "HEALTHY" => HealthStatus.Healthy,
        "UNHEALTHY" => HealthStatus.Unhealthy,
        _ => HealthStatus.Unknown,
    };
}
