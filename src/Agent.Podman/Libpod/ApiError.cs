using System.Text.Json.Serialization;

namespace UpdateAgent.Podman.Libpod;

/// <summary>Podman's error body, the same for both API families.</summary>
internal sealed class ApiError
{
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("cause")] public string? Cause { get; set; }
}
