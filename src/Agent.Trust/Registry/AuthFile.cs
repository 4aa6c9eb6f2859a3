using System.Text;
using System.Text.Json;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Credentials from a containers <c>auth.json</c> (what <c>podman login</c> writes). A registry named
/// in <c>credHelpers</c> gets its login from that credential helper and nothing else, as with podman;
/// otherwise the most specific <c>auths</c> key wins: <c>reg/ns/app</c>, then <c>reg/ns</c>, then <c>reg</c>.
/// </summary>
public sealed class AuthFile : IRegistryCredentialStore
{
    private const long MaxFileBytes = 1024 * 1024;
    private readonly Dictionary<string, RegistryCredentials> _entries;
    private readonly Dictionary<string, string> _helpers;
    private readonly CredentialHelper _runner;

    private AuthFile(Dictionary<string, RegistryCredentials> entries, Dictionary<string, string> helpers, CredentialHelper runner)
    {
        _entries = entries;
        _helpers = helpers;
        _runner = runner;
    }

    /// <summary>An auth file with no entries (anonymous access everywhere).</summary>
    public static AuthFile Empty { get; } = new(new Dictionary<string, RegistryCredentials>(StringComparer.Ordinal),
        new Dictionary<string, string>(StringComparer.Ordinal), CredentialHelper.Default);

    /// <summary>The credential helper each registry's login comes from (<c>credHelpers</c>).</summary>
    public IReadOnlyDictionary<string, string> Helpers => _helpers;

    /// <summary>
    /// The file podman would use: <c>REGISTRY_AUTH_FILE</c> if set, else
    /// <c>$XDG_RUNTIME_DIR/containers/auth.json</c>, else <c>/run/containers/&lt;uid&gt;/auth.json</c>.
    /// </summary>
    public static string? DefaultPath(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var explicitFile = environment("REGISTRY_AUTH_FILE");
        if (!string.IsNullOrEmpty(explicitFile))
        {
            return explicitFile;
        }
        var runtimeDir = environment("XDG_RUNTIME_DIR");
        return !string.IsNullOrEmpty(runtimeDir)
            ? Path.Combine(runtimeDir, "containers", "auth.json")
            : $"/run/containers/{Environment.GetEnvironmentVariable("UID") ?? "0"}/auth.json";
    }

    /// <summary>Loads <paramref name="path"/>; a missing file means no credentials.</summary>
    /// <exception cref="FormatException">The file is not a valid auth.json.</exception>
    public static AuthFile Load(string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return Empty;
        }
        var info = new FileInfo(path);
        if (info.Length > MaxFileBytes)
        {
            throw new FormatException($"{path}: larger than {MaxFileBytes} bytes");
        }
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses the bytes of an auth.json; <paramref name="source"/> names it in errors; <paramref name="helpers"/> runs its <c>credHelpers</c>.</summary>
    /// <exception cref="FormatException">Not valid JSON, an entry that is not a login, or a helper name that is not one.</exception>
    public static AuthFile Parse(ReadOnlySpan<byte> json, string source, CredentialHelper? helpers = null)
    {
        AuthFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, TrustJsonContext.Default.AuthFileDocument);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON ({ex.Message})", ex);
        }
        var entries = new Dictionary<string, RegistryCredentials>(StringComparer.Ordinal);
        foreach (var (key, entry) in document?.Auths ?? [])
        {
            // podman reads "auths": {"host": null} as an empty entry: no login for that host.
            if (entry is null)
            {
                continue;
            }
            var credentials = Decode(entry, source, key);
            if (credentials is not null)
            {
                entries[NormaliseKey(key)] = credentials;
            }
        }
        var helperNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (registry, helper) in document?.CredHelpers ?? [])
        {
            if (helper is null || !CredentialHelper.IsValidName(helper))
            {
                throw new FormatException($"{source}: credHelpers.\"{registry}\" must name a helper (docker-credential-NAME), not '{helper}'");
            }
            helperNames[NormaliseKey(registry)] = helper;
        }
        return new AuthFile(entries, helperNames, helpers ?? CredentialHelper.Default);
    }

    /// <inheritdoc />
    /// <exception cref="RegistryException">The registry's credential helper fails (<see cref="RegistryFailure.Unauthorized"/>).</exception>
    public RegistryCredentials? Find(string registry, string repository)
    {
        if (_helpers.TryGetValue(registry, out var helper))
        {
            return _runner.Get(helper, registry);
        }
        var path = $"{registry}/{repository}";
        while (true)
        {
            if (_entries.TryGetValue(path, out var found))
            {
                return found;
            }
            var slash = path.LastIndexOf('/');
            if (slash < 0)
            {
                return registry == "docker.io" && _entries.TryGetValue("index.docker.io", out var hub) ? hub : null;
            }
            path = path[..slash];
        }
    }

    private static RegistryCredentials? Decode(AuthFileEntry entry, string source, string key)
    {
        if (!string.IsNullOrEmpty(entry.Auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{source}: auths.\"{key}\".auth is not base64", ex);
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"{source}: auths.\"{key}\".auth is not user:password");
            }
            return new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]);
        }
        if (!string.IsNullOrEmpty(entry.Username) && entry.Password is not null)
        {
            return new RegistryCredentials(entry.Username, entry.Password);
        }
        return null;
    }

    // Docker-written files may key entries by URL.
    private static string NormaliseKey(string key)
    {
        var trimmed = key;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (trimmed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[scheme.Length..];
            }
        }
        trimmed = trimmed.TrimEnd('/');
        if (trimmed.EndsWith("/v1", StringComparison.Ordinal) || trimmed.EndsWith("/v2", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^3];
        }
        return trimmed is "index.docker.io" or "registry-1.docker.io" ? "docker.io" : trimmed;
    }
}
