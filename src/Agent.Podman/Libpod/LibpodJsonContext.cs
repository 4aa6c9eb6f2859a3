using System.Text.Json.Serialization;

namespace UpdateAgent.Podman.Libpod;

/// <summary>Source-generated serialisers for the libpod bodies, so nothing needs reflection (Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(List<LibpodContainer>))]
[JsonSerializable(typeof(PullReport))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(Dictionary<string, RegistryAuthHeader>))]
internal sealed partial class LibpodJsonContext : JsonSerializerContext;
