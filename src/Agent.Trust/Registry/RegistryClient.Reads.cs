using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

// Reading: tags and digests to manifests, manifests to configs, blobs.
public sealed partial class RegistryClient
{
    private const int MaxIndexDepth = 2;

    /// <inheritdoc />
    public async Task<ResolvedImage> ResolveAsync(ImageReference image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var top = await TryGetManifestAsync(image, image.ReferenceForFetch, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryFailure.NotFound, $"{image}: no such manifest");
        var current = top;
        for (var depth = 0; current.IsIndex; depth++)
        {
            if (depth >= MaxIndexDepth)
            {
                throw new RegistryException(RegistryFailure.Malformed, $"{image}: indexes nested deeper than {MaxIndexDepth}");
            }
            var chosen = PlatformSelector.Select(current.Parsed, _options.Platform)
                ?? throw new RegistryException(RegistryFailure.NotFound, $"{image}: the index has no manifest for {_options.Platform}");
            if (!DigestValue.IsValid(chosen.Digest))
            {
                throw new RegistryException(RegistryFailure.Malformed, $"{image}: the index names an invalid digest");
            }
            var child = await TryGetManifestAsync(image, chosen.Digest!, cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryFailure.NotFound, $"{image}: the index names {chosen.Digest}, which the registry does not have");
            if (child.Bytes.Length != chosen.Size)
            {
                throw new RegistryException(RegistryFailure.DigestMismatch, $"{image}: {chosen.Digest} is {child.Bytes.Length} bytes, the index says {chosen.Size}");
            }
            current = child;
        }
        return new ResolvedImage(image, top.Digest, current.Digest, current);
    }

    /// <inheritdoc />
    public Task<string> ResolveDigestAsync(ImageReference image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Digest is not null)
        {
            return Task.FromResult(image.Digest);
        }
        return FromSourcesAsync(image, byDigest: false, (location, token) => GuardAsync($"HEAD {location}", async token =>
        {
            var uri = RepositoryUri(location, "manifests/" + location.ReferenceForFetch);
            using var response = await SendAsync(() => ManifestRequest(HttpMethod.Head, uri), location, "pull", token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && response.Headers.TryGetValues("Docker-Content-Digest", out var values)
                && values.FirstOrDefault() is { } digest && DigestValue.IsValid(digest))
            {
                return digest;
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw StatusFailure(response, location.ToString());
            }
            // No usable header (or HEAD unsupported): hash the body ourselves.
            var manifest = await TryGetManifestAtAsync(location, location.ReferenceForFetch, token).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryFailure.NotFound, $"{location}: no such manifest");
            _manifests.Add(image.Name, manifest); // verifying this digest next needs no second download
            return manifest.Digest;
        }, token), found: _ => true, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ManifestContent?> TryGetManifestAsync(ImageReference repository, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(reference);
        var byDigest = DigestValue.IsValid(reference);
        if (byDigest && _manifests.TryGet(repository.Name, reference) is { } cached)
        {
            return cached;
        }
        var content = await FromSourcesAsync(repository, byDigest,
            (location, token) => TryGetManifestAtAsync(location, reference, token), found: c => c is not null, cancellationToken).ConfigureAwait(false);
        if (content is not null)
        {
            _manifests.Add(repository.Name, content);
        }
        return content;
    }

    /// <summary>Fetches a manifest from one physical location, without the cache.</summary>
    private Task<ManifestContent?> TryGetManifestAtAsync(ImageReference repository, string reference, CancellationToken cancellationToken)
    {
        var what = $"{repository.Name}:{reference}";
        return GuardAsync(what, async token =>
        {
            var uri = RepositoryUri(repository, "manifests/" + reference);
            using var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, uri), repository, "pull", token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw StatusFailure(response, what);
            }
            var bytes = await BoundedBody.ReadAsync(response, _options.MaxManifestBytes, what, _budget, token).ConfigureAwait(false);
            var digest = DigestValue.Of(bytes);
            if (DigestValue.IsValid(reference) && digest != reference)
            {
                throw new RegistryException(RegistryFailure.DigestMismatch, $"{what}: the body hashes to {digest}");
            }
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var announced)
                && announced.FirstOrDefault() is { } header && DigestValue.IsValid(header) && header != digest)
            {
                throw new RegistryException(RegistryFailure.DigestMismatch, $"{what}: the registry says {header}, the body hashes to {digest}");
            }
            var parsed = ParseManifest(bytes, what);
            var mediaType = parsed.MediaType ?? BoundedBody.MediaType(response.Content.Headers)
                ?? (parsed.Manifests is not null ? MediaTypes.OciIndex : MediaTypes.OciManifest);
            return new ManifestContent(digest, mediaType, bytes, parsed);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<byte[]?> TryGetBlobAsync(ImageReference repository, string digest, long? expectedSize, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        DigestValue.Require(digest);
        var what = $"{repository.Name}@{digest} (blob)";
        if (expectedSize < 0)
        {
            // Only a hostile or broken descriptor says this; reading "up to -N bytes" must never be attempted.
            throw new RegistryException(RegistryFailure.Malformed, $"{what}: its descriptor says {expectedSize} bytes, a size cannot be negative");
        }
        if (expectedSize > maxBytes)
        {
            throw new RegistryException(RegistryFailure.TooLarge, $"{what}: its descriptor says {expectedSize} bytes, more than the limit of {maxBytes}");
        }
        return FromSourcesAsync(repository, byDigest: true, (location, token) => GuardAsync(what, async token =>
        {
            var uri = RepositoryUri(location, "blobs/" + digest);
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), location, "pull", token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw StatusFailure(response, what);
            }
            var bytes = await BoundedBody.ReadAsync(response, expectedSize ?? maxBytes, what, _budget, token).ConfigureAwait(false);
            if (expectedSize is { } size && bytes.Length != size)
            {
                throw new RegistryException(RegistryFailure.Truncated, $"{what}: received {bytes.Length} bytes, the descriptor says {size}");
            }
            var actual = DigestValue.Of(bytes);
            if (actual != digest)
            {
                throw new RegistryException(RegistryFailure.DigestMismatch, $"{what}: the body hashes to {actual}");
            }
            return bytes;
        }, token), found: b => b is not null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ImageConfigFacts> GetConfigAsync(ImageReference repository, ManifestContent imageManifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(imageManifest);
        var descriptor = imageManifest.Parsed.Config;
        if (descriptor is null || !DigestValue.IsValid(descriptor.Digest))
        {
            throw new RegistryException(RegistryFailure.Malformed, $"{repository}@{imageManifest.Digest}: the manifest has no valid config descriptor");
        }
        var bytes = await TryGetBlobAsync(repository, descriptor.Digest!, descriptor.Size, _options.MaxSmallBlobBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryFailure.NotFound, $"{repository}@{imageManifest.Digest}: config blob {descriptor.Digest} is missing");
        return ImageConfigReader.Read(descriptor.Digest!, bytes);
    }

    internal static OciManifest ParseManifest(byte[] bytes, string what)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(bytes, TrustJsonContext.Default.OciManifest)
                ?? throw new RegistryException(RegistryFailure.Malformed, $"{what}: the manifest is null");
            if (parsed.SchemaVersion != 2)
            {
                throw new RegistryException(RegistryFailure.Malformed, $"{what}: schemaVersion {parsed.SchemaVersion} is not 2");
            }
            if (ManifestShape.Problem(parsed) is { } problem)
            {
                throw new RegistryException(RegistryFailure.Malformed, $"{what}: {problem}");
            }
            return parsed;
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryFailure.Malformed, $"{what}: not a valid manifest ({ex.Message})", ex);
        }
    }

    private static HttpRequestMessage ManifestRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        foreach (var type in MediaTypes.AcceptedManifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        return request;
    }
}
