using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpdateAgent.Core.History;

/// <summary>
/// A status in JSON is its word (<c>"up to date"</c>), as scripts and webhooks have always read it,
/// never the enum's number or name.
/// </summary>
public sealed class UnitStatusJsonConverter : JsonConverter<UnitStatus>
{
    /// <inheritdoc />
    public override UnitStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && UnitStatuses.TryParse(reader.GetString()!, out var status)
            ? status
            : throw new JsonException($"'{(reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString())}' is not a unit status");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, UnitStatus value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Word());
    }
}
