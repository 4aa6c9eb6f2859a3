namespace UpdateAgent.Podman;

/// <summary>
/// How podman's service must reach the registry for one pull: the credentials and TLS setting the
/// agent's own reads of that registry used, so the service cannot pull with others of its own.
/// </summary>
/// <param name="Username">User name, or null for an anonymous pull (podman then uses no auth file of its own either).</param>
/// <param name="Password">Password or token; never logged.</param>
/// <param name="ServerAddress">The registry (<c>host[:port]</c>) the credentials are for.</param>
/// <param name="TlsVerify">False only for a registry the agent reads over plain HTTP (an insecure registry).</param>
public sealed record PullAccess(string? Username, string? Password, string ServerAddress, bool TlsVerify)
{
    /// <summary>Never print the secret, even in a debugger or a log line.</summary>
    public override string ToString() =>
        $"{ServerAddress} ({(Username is null ? "anonymous" : Username + ":***")}, tlsVerify={(TlsVerify ? "true" : "false")})";
}
