using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpdateAgent.Podman.Libpod;

/// <summary>
/// The <c>X-Registry-Auth</c> header of a pull: URL-safe base64 (with padding) of the JSON auth
/// config <c>{"username","password","serveraddress"}</c>, which podman's service uses instead of
/// any auth file of its own.
/// </summary>
internal sealed class RegistryAuthHeader
{
    public const string Name = "X-Registry-Auth";

    [JsonPropertyName("username")] public string Username { get; set; } = "";
    [JsonPropertyName("password")] public string Password { get; set; } = "";
    [JsonPropertyName("serveraddress")] public string ServerAddress { get; set; } = "";

    /// <summary>The header value for <paramref name="access"/>, or null for an anonymous pull.</summary>
    public static string? Encode(PullAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (access.Username is null)
        {
            return null;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new RegistryAuthHeader { Username = access.Username, Password = access.Password ?? "", ServerAddress = access.ServerAddress },
            LibpodJsonContext.Default.RegistryAuthHeader);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The auth config a header value carries (tests read back what was sent); null when it is not one.</summary>
    public static RegistryAuthHeader? Decode(string value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/'));
            return JsonSerializer.Deserialize(bytes, LibpodJsonContext.Default.RegistryAuthHeader);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
