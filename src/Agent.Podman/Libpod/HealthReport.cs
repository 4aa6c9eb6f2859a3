using System.Text.Json.Serialization;

namespace UpdateAgent.Podman.Libpod;

/// <summary>The body of a 200 from <c>GET /libpod/containers/{name}/healthcheck</c>.</summary>
internal sealed class HealthReport
{
    [JsonPropertyName("Status")] public string? Status { get; set; }
}
