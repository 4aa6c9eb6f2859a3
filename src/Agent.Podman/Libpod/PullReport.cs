using System.Text.Json.Serialization;

namespace UpdateAgent.Podman.Libpod;

/// <summary>One object of the libpod pull stream.</summary>
internal sealed class PullReport
{
    [JsonPropertyName("stream")] public string? Stream { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("images")] public List<string>? Images { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
}
