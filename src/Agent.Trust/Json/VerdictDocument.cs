using System.Text.Json.Serialization;

namespace UpdateAgent.Trust.Json;

// The stable JSON shape of `update-agent verify --json`.

internal sealed class VerdictDocument
{
    [JsonPropertyName("image")] public required string Image { get; init; }
    [JsonPropertyName("outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("reasons")] public required List<ReasonDocument> Reasons { get; init; }
    [JsonPropertyName("signers")] public required List<SignerDocument> Signers { get; init; }
    [JsonPropertyName("signedAnnotations")] public required SortedDictionary<string, string> SignedAnnotations { get; init; }
    [JsonPropertyName("digest")] public string? Digest { get; init; }
    [JsonPropertyName("platformDigest")] public string? PlatformDigest { get; init; }
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("revision")] public string? Revision { get; init; }
    [JsonPropertyName("registryRequests")] public long RegistryRequests { get; init; }
}

internal sealed class ReasonDocument
{
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

internal sealed class SignerDocument
{
    [JsonPropertyName("authority")] public required string Authority { get; init; }
    [JsonPropertyName("identity")] public required string Identity { get; init; }
    [JsonPropertyName("issuer")] public string? Issuer { get; init; }
    [JsonPropertyName("origin")] public required string Origin { get; init; }
    [JsonPropertyName("signedAt")] public DateTimeOffset? SignedAt { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VerdictDocument))]
internal sealed partial class VerdictJsonContext : JsonSerializerContext;
