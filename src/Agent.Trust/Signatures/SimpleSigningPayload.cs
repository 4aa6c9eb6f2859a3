using System.Text.Json;
using System.Text.Unicode;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Signatures;

/// <summary>
/// A cosign simple-signing payload. <c>critical</c> is parsed strictly (unknown members or
/// wrong types reject it, as containers/image does); <c>optional</c> carries the signed
/// annotations, of which only string values are kept.
/// </summary>
internal sealed record SimpleSigningPayload(string DockerReference, string ManifestDigest, IReadOnlyDictionary<string, string> Annotations)
{
    public const string CosignType = "cosign container image signature";

    /// <summary>Parses the exact payload bytes.</summary>
    /// <exception cref="FormatException">Not a strict cosign payload.</exception>
    public static SimpleSigningPayload Parse(ReadOnlyMemory<byte> bytes)
    {
        // JsonDocument checks the structure, not the text inside strings: bytes that are not UTF-8
        // would otherwise fail only when a name or value is read, as an InvalidOperationException.
        if (!Utf8.IsValid(bytes.Span))
        {
            throw new FormatException("the payload is not valid UTF-8");
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, JsonLimits.Document);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("critical", out var critical) || critical.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the payload has no 'critical' object");
            }
            OnlyMembers(critical, "critical", "identity", "image", "type");
            var type = RequireString(critical, "type", "critical");
            if (type != CosignType)
            {
                throw new FormatException($"critical.type is '{type}', not '{CosignType}'");
            }
            var identity = RequireObject(critical, "identity", "critical");
            OnlyMembers(identity, "critical.identity", "docker-reference");
            var image = RequireObject(critical, "image", "critical");
            OnlyMembers(image, "critical.image", "docker-manifest-digest");
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("optional", out var optional) && optional.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in optional.EnumerateObject())
                {
                    if (member.Value.ValueKind == JsonValueKind.String)
                    {
                        annotations[member.Name] = member.Value.GetString()!;
                    }
                }
            }
            return new SimpleSigningPayload(
                RequireString(identity, "docker-reference", "critical.identity"),
                RequireString(image, "docker-manifest-digest", "critical.image"),
                annotations);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the payload is not valid JSON ({ex.Message})", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Every element's kind is checked before it is read, so only a string's text fails
            // here: an escaped lone surrogate (\ud800) is valid JSON but no string.
            throw new FormatException($"the payload holds a string that is not valid text ({ex.Message})", ex);
        }
    }

    /// <summary>The payload cosign writes for <paramref name="dockerReference"/> at <paramref name="digest"/>.</summary>
    public static byte[] Create(string dockerReference, string digest, IReadOnlyDictionary<string, string> annotations)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("critical");
            writer.WriteStartObject("identity");
            writer.WriteString("docker-reference", dockerReference);
            writer.WriteEndObject();
            writer.WriteStartObject("image");
            writer.WriteString("docker-manifest-digest", digest);
            writer.WriteEndObject();
            writer.WriteString("type", CosignType);
            writer.WriteEndObject();
            if (annotations.Count == 0)
            {
                writer.WriteNull("optional");
            }
            else
            {
                writer.WriteStartObject("optional");
                foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void OnlyMembers(JsonElement element, string path, params string[] allowed)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, member.Name) < 0)
            {
                throw new FormatException($"{path} has an unknown member '{member.Name}'");
            }
        }
    }

    private static JsonElement RequireObject(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new FormatException($"{path}.{name} is missing or not an object");

    private static string RequireString(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{path}.{name} is missing or not a string");
}
