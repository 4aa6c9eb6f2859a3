namespace UpdateAgent.Podman;

/// <summary>One place's credentials for a pull; never printed.</summary>
/// <param name="Username">User name.</param>
/// <param name="Password">Password or token.</param>
public sealed record RegistryLogin(string Username, string Password)
{
    /// <summary>Never print the secret, even in a debugger or a log line.</summary>
    public override string ToString() => $"{Username}:***";
}

/// <summary>
/// How podman's service must reach the registry for one pull: the credentials and TLS setting the
/// agent's own reads used, where it has them.
/// </summary>
/// <param name="Logins">
/// Credentials per place the image may be read from (<c>registry/repository</c>, its registries.conf
/// location and mirrors); podman gives each to that place only. Empty when the agent's reads had no login: podman then
/// falls back to its own default auth file, the one the agent reads when the policy names none; the digest pins what is pulled either way.
/// </param>
/// <param name="TlsVerify">
/// False only for a registry the agent reads over plain HTTP; null where registries.conf gives the image
/// several places, each with its own setting, which podman then applies as the agent's reads did.
/// </param>
public sealed record PullAccess(IReadOnlyDictionary<string, RegistryLogin> Logins, bool? TlsVerify)
{
    /// <summary>An anonymous pull with one TLS setting.</summary>
    public static PullAccess Anonymous(bool? tlsVerify) => new(new Dictionary<string, RegistryLogin>(StringComparer.Ordinal), tlsVerify);

    /// <summary>A pull with one place's credentials.</summary>
    public static PullAccess For(string place, RegistryLogin login, bool? tlsVerify) =>
        new(new Dictionary<string, RegistryLogin>(StringComparer.Ordinal) { [place] = login }, tlsVerify);

    /// <summary>Never prints a secret.</summary>
    public override string ToString() =>
        $"{(Logins.Count == 0 ? "anonymous" : string.Join(", ", Logins.Select(l => $"{l.Key} as {l.Value}")))}, tlsVerify={TlsVerify switch { true => "true", false => "false", null => "per registries.conf" }}";
}
