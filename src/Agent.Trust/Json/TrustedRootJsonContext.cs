using System.Text.Json.Serialization;

namespace UpdateAgent.Trust.Json;

/// <summary>
/// Source-generated JSON metadata for Sigstore's <c>trusted_root.json</c> (kept apart from
/// <see cref="TrustJsonContext"/>: it is read at policy load, not from registries).
/// </summary>
[JsonSourceGenerationOptions(MaxDepth = JsonLimits.MaxDepth, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrustedRootDocument))]
internal sealed partial class TrustedRootJsonContext : JsonSerializerContext;
