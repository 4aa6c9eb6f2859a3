using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpdateAgent.Podman.Libpod;

/// <summary>
/// The <c>X-Registry-Auth</c> header of a pull in its map form: URL-safe base64 (with padding) of
/// <c>{"PLACE": {"username","password"}}</c>. podman's service writes the map to a temporary auth
/// file used instead of any of its own, so each place (a registry, or one repository of it) gets
/// only its own credentials; the single-config form would hand one login to every mirror.
/// </summary>
internal sealed class RegistryAuthHeader
{
    public const string Name = "X-Registry-Auth";

    [JsonPropertyName("username")] public string Username { get; set; } = "";
    [JsonPropertyName("password")] public string Password { get; set; } = "";

    /// <summary>The header value for <paramref name="access"/>, or null for an anonymous pull.</summary>
    public static string? Encode(PullAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (access.Logins.Count == 0)
        {
            return null;
        }
        var map = access.Logins.ToDictionary(l => l.Key, l => new RegistryAuthHeader { Username = l.Value.Username, Password = l.Value.Password }, StringComparer.Ordinal);
        var json = JsonSerializer.SerializeToUtf8Bytes(map, LibpodJsonContext.Default.DictionaryStringRegistryAuthHeader);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The logins a header value carries (tests read back what was sent); null when it is not the map form.</summary>
    public static Dictionary<string, RegistryAuthHeader>? Decode(string value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/'));
            return JsonSerializer.Deserialize(bytes, LibpodJsonContext.Default.DictionaryStringRegistryAuthHeader);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
