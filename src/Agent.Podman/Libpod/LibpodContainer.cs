using System.Text.Json.Serialization;

namespace UpdateAgent.Podman.Libpod;

/// <summary>One entry of <c>GET /libpod/containers/json</c>; only the fields discovery reads.</summary>
internal sealed class LibpodContainer
{
    [JsonPropertyName("Id")] public string Id { get; set; } = "";
    [JsonPropertyName("Names")] public List<string>? Names { get; set; }
    [JsonPropertyName("Image")] public string? Image { get; set; }
    [JsonPropertyName("ImageID")] public string? ImageId { get; set; }
    [JsonPropertyName("Labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("State")] public string? State { get; set; }
    [JsonPropertyName("Pod")] public string? Pod { get; set; }
    [JsonPropertyName("PodName")] public string? PodName { get; set; }
    [JsonPropertyName("IsInfra")] public bool IsInfra { get; set; }

    /// <summary>The name to show in messages: the first name, else the short ID.</summary>
    [JsonIgnore]
    public string DisplayName => Names is [var first, ..] && first.Length > 0 ? first.TrimStart('/') : Id[..Math.Min(12, Id.Length)];

    public string? Label(string key) => Labels is not null && Labels.TryGetValue(key, out var value) ? value : null;
}
