namespace UpdateAgent.Trust.Registry;

/// <summary>Limits and transport settings of <see cref="RegistryClient"/>.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>Largest manifest or index accepted (distribution's own limit is 4 MiB).</summary>
    public long MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest image config, signature payload or bundle blob accepted.</summary>
    public long MaxSmallBlobBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest token-endpoint answer accepted.</summary>
    public long MaxTokenBytes { get; set; } = 256 * 1024;

    /// <summary>Deadline of each HTTP request, including reading its body.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Registries (<c>host[:port]</c>) reached over plain HTTP; every other one needs verified TLS.</summary>
    public ISet<string> InsecureRegistries { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Hosts besides the registry's own that may receive the user's credentials as a bearer-token
    /// realm (Docker Hub's <c>auth.docker.io</c> is allowed for <c>docker.io</c> without being listed).
    /// </summary>
    public ISet<string> TokenHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where images are read from (registries.conf's locations, mirrors and blocked namespaces); none rewrites nothing.</summary>
    public RegistrySources Sources { get; set; } = RegistrySources.None;

    /// <summary>Where credentials come from; none means anonymous access only.</summary>
    public IRegistryCredentialStore? Credentials { get; set; }

    /// <summary>Platform to pick from a multi-platform index; defaults to the host's.</summary>
    public ImagePlatform Platform { get; set; } = ImagePlatform.Host;

    /// <summary>Most pages of referrers followed for one subject.</summary>
    public int MaxReferrerPages { get; set; } = 8;
}
