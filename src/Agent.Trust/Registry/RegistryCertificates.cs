using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// The <c>certs.d</c> folders containers tools read: <c>DIR/HOST:PORT/*.crt</c> are certificate
/// authorities trusted for that registry in addition to the system's, and <c>*.cert</c> with the
/// <c>*.key</c> of the same name is a client certificate presented to it (<c>DIR/HOST</c> serves port 443).
/// Only the registry host's own folders count, so a private CA trusted for one registry vouches for no
/// other host. Unlike containers/image, the port is not told apart during the handshake: the folders of
/// every port of the host count.
/// </summary>
public sealed class RegistryCertificates
{
    private const int MaxFilesPerFolder = 64;
    private const long MaxFileBytes = 1024 * 1024;
    private readonly IReadOnlyList<string> _directories;

    /// <summary>Reads the given <c>certs.d</c> folders (missing ones add nothing).</summary>
    public RegistryCertificates(IReadOnlyList<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        _directories = directories;
    }

    /// <summary>podman's: <c>/etc/containers/certs.d</c> and <c>/etc/docker/certs.d</c>.</summary>
    public static IReadOnlyList<string> DefaultDirectories { get; } = ["/etc/containers/certs.d", "/etc/docker/certs.d"];

    /// <summary>The certificate authorities of <paramref name="host"/>'s folders for <paramref name="port"/> (null: any port); unreadable or malformed files are skipped.</summary>
    public X509Certificate2Collection AuthoritiesFor(string host, int? port)
    {
        var found = new X509Certificate2Collection();
        foreach (var file in Files(host, port, "*.crt"))
        {
            try
            {
                found.ImportFromPemFile(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                // A broken file trusts nothing: the handshake then fails as it would without it.
            }
        }
        return found;
    }

    /// <summary>The first usable client certificate (<c>NAME.cert</c> with <c>NAME.key</c>) of <paramref name="host"/>'s folders, if any.</summary>
    public X509Certificate2? ClientCertificateFor(string host, int? port)
    {
        foreach (var cert in Files(host, port, "*.cert"))
        {
            var key = Path.ChangeExtension(cert, ".key");
            try
            {
                if (File.Exists(key) && new FileInfo(key).Length <= MaxFileBytes)
                {
                    return X509Certificate2.CreateFromPemFile(cert, key);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                // Try the next pair.
            }
        }
        return null;
    }

    /// <summary>
    /// Server certificate check for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>:
    /// what the system trusts passes; a chain the system does not trust passes only when it ends at a CA
    /// of the registry's own folder and nothing else (such as the name) is wrong.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || !TryTarget(sender, out var host, out var port))
        {
            return false;
        }
        var authorities = AuthoritiesFor(host, port);
        if (authorities.Count == 0)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    /// <summary>Client certificate choice for <see cref="SslClientAuthenticationOptions.LocalCertificateSelectionCallback"/>.</summary>
    public X509Certificate? SelectClientCertificate(object sender, string targetHost, X509CertificateCollection localCertificates, X509Certificate? remoteCertificate, string[] acceptableIssuers) =>
        TryTarget(sender, out var host, out var port) ? ClientCertificateFor(host, port) : null;

    private IEnumerable<string> Files(string host, int? port, string pattern)
    {
        if (host.Contains('/', StringComparison.Ordinal) || host.Contains("..", StringComparison.Ordinal) || host.Contains('*', StringComparison.Ordinal))
        {
            yield break;
        }
        foreach (var directory in _directories.Where(Directory.Exists))
        {
            var folders = port is { } p
                ? (p == 443 ? new[] { $"{host}:{p}", host } : [$"{host}:{p}"]).Select(n => Path.Combine(directory, n)).Where(Directory.Exists)
                : Directory.EnumerateDirectories(directory).Where(f => Path.GetFileName(f) == host || Path.GetFileName(f).StartsWith(host + ":", StringComparison.Ordinal));
            foreach (var folder in folders.Order(StringComparer.Ordinal).Take(MaxFilesPerFolder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal).Take(MaxFilesPerFolder))
                {
                    if (new FileInfo(file).Length <= MaxFileBytes)
                    {
                        yield return file;
                    }
                }
            }
        }
    }

    // The handler's TLS stream knows the host it was opened for, but not the port (its socket is not
    // reachable from here): the folders of every port of that host count, which still never lets a CA
    // vouch for another host.
    private static bool TryTarget(object sender, out string host, out int? port)
    {
        host = sender is SslStream { TargetHostName: { Length: > 0 } name } ? name : "";
        port = null;
        return host.Length > 0;
    }
}
