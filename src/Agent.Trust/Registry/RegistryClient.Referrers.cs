using System.Net;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

// Referrers: the OCI 1.1 API, or the sha256-<hex> tag that registries without it carry.
public sealed partial class RegistryClient
{
    /// <inheritdoc />
    public Task<IReadOnlyList<ReferrerDescriptor>> GetReferrersAsync(ImageReference repository, string subjectDigest, string? artifactType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        DigestValue.Require(subjectDigest);
        var what = $"{repository.Name} referrers of {subjectDigest}";
        // A mirror that lists nothing may just not copy signatures: the next place is asked too.
        return FromSourcesAsync(repository, byDigest: true, (location, token) => GuardAsync<IReadOnlyList<ReferrerDescriptor>>(what, async token =>
        {
            var query = artifactType is null ? string.Empty : "?artifactType=" + Uri.EscapeDataString(artifactType);
            Uri? next = RepositoryUri(location, $"referrers/{subjectDigest}{query}");
            var found = new List<ReferrerDescriptor>();
            for (var page = 0; next is not null; page++)
            {
                if (page >= _options.MaxReferrerPages)
                {
                    throw new RegistryException(RegistryFailure.TooLarge, $"{what}: more than {_options.MaxReferrerPages} pages");
                }
                var uri = next;
                using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), location, "pull", token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound && page == 0)
                {
                    // A registry without the API: the same index lives under the fallback tag.
                    var fallback = await TryGetManifestAtAsync(location, DigestValue.ReferrersTag(subjectDigest), token).ConfigureAwait(false);
                    return fallback is null ? [] : Filter(fallback.Parsed, artifactType, filtered: false);
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw StatusFailure(response, what);
                }
                var bytes = await BoundedBody.ReadAsync(response, _options.MaxManifestBytes, what, _budget, token).ConfigureAwait(false);
                var index = ParseManifest(bytes, what);
                var filtered = response.Headers.TryGetValues("OCI-Filters-Applied", out var applied)
                    && applied.Any(v => v.Contains("artifactType", StringComparison.Ordinal));
                found.AddRange(Filter(index, artifactType, filtered));
                next = NextLink(response, uri, what);
            }
            return found;
        }, token), found: list => list.Count > 0, cancellationToken);
    }

    private static List<ReferrerDescriptor> Filter(OciManifest index, string? artifactType, bool filtered) =>
        (index.Manifests ?? [])
            .Where(d => DigestValue.IsValid(d.Digest))
            .Where(d => filtered || artifactType is null || d.ArtifactType == artifactType
                // Some clients write the fallback index with the config type as artifact type; the reader checks the manifest itself.
                || d.ArtifactType is null or MediaTypes.OciEmpty)
            .Select(d => new ReferrerDescriptor(d.Digest!, d.MediaType, d.ArtifactType, d.Size,
                d.Annotations ?? new Dictionary<string, string>(StringComparer.Ordinal)))
            .ToList();

    /// <summary>
    /// The next page a <c>Link: &lt;...&gt;; rel="next"</c> header names. It must stay on the scheme,
    /// host and port of the page it came from: the request carries the registry's token, which must
    /// neither leave the registry nor travel in clear text.
    /// </summary>
    private static Uri? NextLink(HttpResponseMessage response, Uri current, string what)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }
        foreach (var link in links)
        {
            if (!link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                continue;
            }
            var start = link.IndexOf('<', StringComparison.Ordinal);
            var end = link.IndexOf('>', StringComparison.Ordinal);
            if (start < 0 || end <= start || !Uri.TryCreate(current, link[(start + 1)..end], out var next))
            {
                throw new RegistryException(RegistryFailure.Malformed, $"{what}: the next-page link '{link}' is not a URL");
            }
            if (next.Scheme != current.Scheme || !string.Equals(next.Host, current.Host, StringComparison.OrdinalIgnoreCase) || next.Port != current.Port)
            {
                throw new RegistryException(RegistryFailure.Malformed,
                    $"{what}: the next page is at {next.GetLeftPart(UriPartial.Authority)}, not at {current.GetLeftPart(UriPartial.Authority)} where the list came from; it was not followed");
            }
            return next;
        }
        return null;
    }
}
