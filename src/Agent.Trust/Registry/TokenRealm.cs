namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Decides whether a bearer challenge's realm may be asked for a token. The realm comes from the
/// registry's answer, so a hostile or hijacked registry chooses it: without these rules it could
/// send the user's password to any host, in clear text.
/// </summary>
internal static class TokenRealm
{
    /// <summary>Throws unless <paramref name="realm"/> may be used for <paramref name="repository"/>.</summary>
    /// <param name="realm">The realm the challenge names.</param>
    /// <param name="repository">The repository whose registry answered.</param>
    /// <param name="withCredentials">Whether the token request would carry the user's credentials.</param>
    /// <param name="options">Insecure registries and the hosts allowed to receive credentials.</param>
    public static void Check(Uri realm, ImageReference repository, bool withCredentials, RegistryClientOptions options)
    {
        if (realm.Scheme != Uri.UriSchemeHttps && !options.InsecureRegistries.Contains(repository.Registry))
        {
            throw new RegistryException(RegistryFailure.Unauthorized,
                $"{repository.Name}: the token realm {realm.GetLeftPart(UriPartial.Path)} is not https, and {repository.Registry} is not listed as insecure; no token was requested");
        }
        if (withCredentials && !MayReceiveCredentials(realm.Host, repository, options))
        {
            throw new RegistryException(RegistryFailure.Unauthorized,
                $"{repository.Name}: the token realm is on {realm.Host}, not on the registry's host; credentials go only there or to a host listed in registries.token_hosts, so none were sent");
        }
    }

    private static bool MayReceiveCredentials(string host, ImageReference repository, RegistryClientOptions options) =>
        SameHost(host, repository.Registry) || SameHost(host, repository.ApiHost)
        || (repository.Registry == DockerHub && string.Equals(host, DockerHubTokenService, StringComparison.OrdinalIgnoreCase))
        || options.TokenHosts.Any(allowed => SameHost(host, allowed));

    // Docker Hub's token service has always lived on its own host; it is Docker Hub's, so it is allowed without configuration.
    private const string DockerHub = "docker.io";
    private const string DockerHubTokenService = "auth.docker.io";

    /// <summary>Host names compared without port and case: a token service on another port of the same host is the same party.</summary>
    private static bool SameHost(string host, string hostAndPort) =>
        Uri.TryCreate("https://" + hostAndPort, UriKind.Absolute, out var parsed) && string.Equals(parsed.Host, host, StringComparison.OrdinalIgnoreCase);
}
