using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust;

/// <summary>Builds the registry client and verifier a policy describes (insecure registries, credentials, deadline).</summary>
public static class TrustServices
{
    /// <summary>
    /// Registry options from <paramref name="policy"/>: where images are read from and which places are
    /// insecure per <c>registries.conf</c> (plus its own insecure list),
    /// credentials from its auth file or podman's default (a repository may be given its own auth file later, through
    /// <see cref="PerRepositoryCredentials"/>) and the token hosts allowed to receive them, its request deadline.
    /// </summary>
    /// <exception cref="FormatException">registries.conf or auth.json is malformed.</exception>
    public static RegistryClientOptions RegistryOptions(TrustPolicy policy, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        environment ??= Environment.GetEnvironmentVariable;
        var options = new RegistryClientOptions
        {
            RequestTimeout = policy.RequestTimeout,
            Credentials = new PerRepositoryCredentials(AuthFile.Load(policy.AuthFile ?? AuthFile.DefaultPath(environment))),
        };
        foreach (var host in policy.TokenHosts)
        {
            options.TokenHosts.Add(host);
        }
        // A user's podman reads the user's own registries.conf when there is one; the policy naming a file overrides both.
        var home = environment("HOME");
        options.Sources = policy.RegistriesConf == RegistriesConf.DefaultPath && !Environment.IsPrivilegedProcess && !string.IsNullOrEmpty(home)
            ? RegistriesConf.ReadForUser(home)
            : RegistriesConf.Read(policy.RegistriesConf);
        foreach (var registry in policy.InsecureRegistries.Concat(RegistriesConf.InsecureHosts(options.Sources)))
        {
            options.InsecureRegistries.Add(registry);
        }
        return options;
    }

    /// <summary>
    /// An <see cref="HttpClient"/> suited to registries: redirects followed (without forwarding credentials),
    /// TLS verified against the system's authorities plus, for each registry, those of its own folder in
    /// <paramref name="certsDirectories"/> (podman's <c>certs.d</c> folders by default), which also supply its client certificate.
    /// </summary>
    public static HttpClient CreateHttpClient(IReadOnlyList<string>? certsDirectories = null)
    {
        var certificates = new RegistryCertificates(certsDirectories ?? RegistryCertificates.DefaultDirectories);
        return new(new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = certificates.Validate,
                LocalCertificateSelectionCallback = certificates.SelectClientCertificate,
            },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the client enforces its own per-operation deadline
        };
    }

    /// <summary>A verifier for <paramref name="policy"/> over a new registry client (with <paramref name="options"/>, or the policy's <see cref="RegistryOptions"/>).</summary>
    public static (RegistryClient Registry, TrustVerifier Verifier) CreateVerifier(
        TrustPolicy policy, HttpClient http, TimeProvider? time = null, ILoggerFactory? loggers = null, RegistryClientOptions? options = null)
    {
        loggers ??= NullLoggerFactory.Instance;
        var registry = new RegistryClient(http, options ?? RegistryOptions(policy), time, loggers.CreateLogger<RegistryClient>());
        return (registry, new TrustVerifier(registry, policy, loggers.CreateLogger<TrustVerifier>(), time));
    }
}
