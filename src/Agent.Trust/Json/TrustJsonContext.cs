using System.Text.Json.Serialization;

namespace UpdateAgent.Trust.Json;

/// <summary>
/// Source-generated JSON metadata for every wire shape the trust layer reads; no reflection,
/// so it holds under Native AOT. Depth is bounded: no legitimate document nests deeper.
/// </summary>
[JsonSourceGenerationOptions(MaxDepth = JsonLimits.MaxDepth, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(OciImageConfig))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(AuthFileDocument))]
[JsonSerializable(typeof(CredentialHelperAnswer))]
[JsonSerializable(typeof(RekorBundleDocument))]
[JsonSerializable(typeof(HashedRekordEntry))]
[JsonSerializable(typeof(SigstoreBundleDocument))]
[JsonSerializable(typeof(DsseEnvelopeDocument))]
[JsonSerializable(typeof(InTotoStatementDocument))]
internal sealed partial class TrustJsonContext : JsonSerializerContext;

/// <summary>Limits shared by every JSON reader of the trust layer.</summary>
internal static class JsonLimits
{
    /// <summary>Deepest nesting accepted in any document.</summary>
    public const int MaxDepth = 32;

    /// <summary>Options for <see cref="System.Text.Json.JsonDocument"/> reads.</summary>
    public static readonly System.Text.Json.JsonDocumentOptions Document = new() { MaxDepth = MaxDepth };
}
