using System.Text.Json.Serialization;

namespace UpdateAgent.Podman.Libpod;

/// <summary>Body of <c>POST /exec/{id}/start</c>: stay attached, no terminal, so the output is multiplexed.</summary>
internal sealed class ExecStartRequest
{
    [JsonPropertyName("Detach")] public bool Detach { get; set; }
    [JsonPropertyName("Tty")] public bool Tty { get; set; }
}
