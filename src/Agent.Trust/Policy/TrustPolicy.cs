using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Policy;

/// <summary>The whole trust configuration: authorities, image policies, deny list and registry settings.</summary>
public sealed class TrustPolicy
{
    /// <summary>Authorities by name.</summary>
    public required IReadOnlyDictionary<string, TrustAuthority> Authorities { get; init; }

    /// <summary>Image policies in file order.</summary>
    public required IReadOnlyList<ImagePolicy> Images { get; init; }

    /// <summary>Digests refused for every repository.</summary>
    public IReadOnlySet<string> Revoked { get; init; } = new HashSet<string>();

    /// <summary>Registries reached over plain HTTP.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>auth.json to read credentials from; null: podman's default search.</summary>
    public string? AuthFile { get; init; }

    /// <summary>registries.conf whose <c>insecure = true</c> entries are honoured too.</summary>
    public string RegistriesConf { get; init; } = Registry.RegistriesConf.DefaultPath;

    /// <summary><c>certs.d</c> folders whose per-registry CA certificates and client certificates are used (podman's by default).</summary>
    public IReadOnlyList<string> CertsDirectories { get; init; } = RegistryCertificates.DefaultDirectories;

    /// <summary>Deadline of one registry operation.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every file the policy names (keys, certificates, trust roots, auth and registries files):
    /// whoever can change one of them decides what the host trusts, so the agent holds them to the
    /// rule of its own configuration (owned by root, not writable by others).
    /// </summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Hosts besides a registry's own that may receive the user's credentials as a token realm.</summary>
    public IReadOnlyList<string> TokenHosts { get; init; } = [];

    /// <summary>What one verification may spend on registries (bytes, requests, wall time).</summary>
    public VerificationLimits Limits { get; init; } = VerificationLimits.Default;

    /// <summary>The most specific image policy covering <paramref name="image"/>, or null.</summary>
    public ImagePolicy? Match(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Images.Where(p => p.Matches(image.Name)).OrderByDescending(p => p.Repository.EndsWith("/*", StringComparison.Ordinal) ? p.Repository.Length - 2 : int.MaxValue).FirstOrDefault();
    }
}
