using System.Text;
using System.Text.Json;

namespace UpdateAgent.Core.History;

/// <summary>
/// The state an update is in, as the journal keeps it next to each step's outcome: which state the
/// machine goes to next and the data that state needs — the candidate and the manifest pulled, the
/// image, whether it is a restore, and for a rollback its reason and whether it is a verdict on the
/// candidate (the quarantine decision). Recovery continues from it; nothing is guessed from step names.
/// </summary>
/// <param name="Kind">The state's name (<c>Pulling</c>, <c>Tagging</c>, <c>Restarting</c>, <c>HealthGating</c>, <c>RollingBack</c>).</param>
/// <param name="Candidate">The digest the unit moves to.</param>
/// <param name="PullDigest">The image manifest pulled for this host.</param>
/// <param name="ImageId">The local image of the candidate, once pulled.</param>
/// <param name="IsRestore">The update puts the ledger's verified digest back in place of an unverified image.</param>
/// <param name="Why">For a rollback: why.</param>
/// <param name="Quarantine">For a rollback: whether it is a verdict on the candidate.</param>
/// <param name="Acting">Whether the state's step has begun on the host (its intent is journaled): false when the
/// state was entered with the previous step's outcome and nothing of it was done yet.</param>
public sealed record JournaledState(string Kind, string Candidate, string PullDigest, string ImageId, bool IsRestore, string Why = "", bool Quarantine = false,
    bool Acting = false)
{
    /// <summary>The state as one line of JSON, as stored.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind);
            json.WriteString("candidate", Candidate);
            json.WriteString("pull", PullDigest);
            json.WriteString("image", ImageId);
            json.WriteBoolean("restore", IsRestore);
            json.WriteString("why", Why);
            json.WriteBoolean("quarantine", Quarantine);
            json.WriteBoolean("acting", Acting);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a stored state; null for none, or for text that is not one (a store written by an older version).</summary>
    public static JournaledState? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 64 * 1024)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            string Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            bool Flag(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
            return root.ValueKind != JsonValueKind.Object || Text("kind").Length == 0
                ? null
                : new JournaledState(Text("kind"), Text("candidate"), Text("pull"), Text("image"), Flag("restore"), Text("why"), Flag("quarantine"), Flag("acting"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string escape that is no text (a lone surrogate, \ud800)
            // passes the JSON reader and fails only when the string is read.
            return null;
        }
    }
}
