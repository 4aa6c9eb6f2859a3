using UpdateAgent.Podman;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Adapters;

/// <summary>
/// Keeps the agent's registry reads and podman's pulls on the same footing: the
/// <c>io.containers.autoupdate.authfile</c> label of each discovered container becomes its
/// repository's auth file for the agent's own reads (tag, signatures), and each pull carries the
/// credentials and TLS setting those reads used.
/// </summary>
/// <param name="options">The registry client's options: its credential store and insecure registries.</param>
internal sealed class ContainerRegistryAccess(RegistryClientOptions options)
{
    /// <summary>The label podman auto-update passes to the pull as <c>--authfile</c>.</summary>
    public const string AuthFileLabel = "io.containers.autoupdate.authfile";

    /// <summary>Whether a discovery has been taken in yet; a pull before one must discover first.</summary>
    public bool HasLearned { get; private set; }

    /// <summary>
    /// Takes in the auth files the discovered containers name. Containers of one repository that name
    /// different files share the first one in unit order (the engine reads each image once per pass).
    /// </summary>
    public void Learn(Podman.DiscoveryResult discovery)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        HasLearned = true;
        if (options.Credentials is not PerRepositoryCredentials credentials)
        {
            return;
        }
        var authFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var container in discovery.Units.SelectMany(u => u.Containers))
        {
            if (container.AutoUpdateLabels.TryGetValue(AuthFileLabel, out var path) && !string.IsNullOrWhiteSpace(path)
                && ImageReference.TryParse(container.ImageReference, out var image))
            {
                authFiles.TryAdd(image.Name, path.Trim());
            }
        }
        credentials.SetAuthFiles(authFiles);
    }

    /// <summary>
    /// What the pull of <paramref name="digestReference"/> must send podman: the credentials the agent's
    /// reads would use at each place registries.conf gives the image, and their TLS setting when there is one place.
    /// </summary>
    /// <exception cref="RegistryException">The repository's auth file cannot be used, or registries.conf blocks the image.</exception>
    public PullAccess? ForPull(string digestReference)
    {
        if (!ImageReference.TryParse(digestReference, out var image))
        {
            return null;
        }
        var places = options.Sources.Locations(image, byDigest: true);
        var logins = new Dictionary<string, RegistryLogin>(StringComparer.Ordinal);
        foreach (var place in places)
        {
            // Exactly what the agent's reads of that place used.
            if (options.Credentials?.Find(place.Registry, place.Repository) is { } credentials)
            {
                logins[place.Name] = new RegistryLogin(credentials.Username, credentials.Password);
            }
        }
        bool? tlsVerify = places.Count == 1 ? !options.InsecureRegistries.Contains(places[0].Registry) : null;
        return new PullAccess(logins, tlsVerify);
    }
}
