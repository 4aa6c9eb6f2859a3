using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Bundles;

/// <summary>Reads sigstore bundles (v0.3) attached to an image through OCI referrers or the referrers fallback tag.</summary>
internal static class BundleSignatureReader
{
    /// <summary>At most this many bundles are read per image.</summary>
    public const int MaxBundles = 32;

    public static async Task<List<SignatureEvidence>> ReadAsync(IRegistryClient registry, ImageReference repository, string digest, long maxBlobBytes, CancellationToken cancellationToken)
    {
        var referrers = await registry.GetReferrersAsync(repository, digest, MediaTypes.SigstoreBundleV03, cancellationToken).ConfigureAwait(false);
        var found = new List<SignatureEvidence>();
        foreach (var referrer in referrers.Take(MaxBundles))
        {
            var origin = $"bundle {referrer.Digest}";
            var manifest = await registry.TryGetManifestAsync(repository, referrer.Digest, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                continue;
            }
            var layer = manifest.Parsed.Layers?.FirstOrDefault(l => l.MediaType == MediaTypes.SigstoreBundleV03);
            if (layer is null && manifest.Parsed.ArtifactType != MediaTypes.SigstoreBundleV03)
            {
                continue; // another kind of referrer (SBOM, attestation of another format)
            }
            if (manifest.Parsed.Subject?.Digest != digest)
            {
                found.Add(Broken(origin, $"the bundle manifest's subject is {manifest.Parsed.Subject?.Digest ?? "missing"}, not {digest}"));
                continue;
            }
            if (layer is null || !DigestValue.IsValid(layer.Digest))
            {
                found.Add(Broken(origin, "the bundle manifest has no bundle layer"));
                continue;
            }
            byte[]? bytes;
            try
            {
                bytes = await registry.TryGetBlobAsync(repository, layer.Digest!, layer.Size, maxBlobBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException ex) when (!ex.IsTransient)
            {
                found.Add(Broken(origin, $"the bundle blob does not match its layer: {ex.Message}"));
                continue;
            }
            found.Add(bytes is null ? Broken(origin, "the bundle blob is missing") : SigstoreBundle.ToEvidence(bytes, origin));
        }
        return found;
    }

    internal static SignatureEvidence Broken(string origin, string error) => new()
    {
        Origin = origin,
        SignedBytes = [],
        LoggedPayload = [],
        Signature = [],
        PayloadError = error,
    };
}
