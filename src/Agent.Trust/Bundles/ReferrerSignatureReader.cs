using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Bundles;

/// <summary>
/// Reads the signatures attached to an image through OCI referrers (or the referrers fallback
/// tag): sigstore bundles v0.3, and the simple-signing manifests cosign 2's OCI 1.1 mode attaches.
/// </summary>
internal static class ReferrerSignatureReader
{
    /// <summary>At most this many bundles are read per image.</summary>
    public const int MaxReferrers = 32;

    public static async Task<List<SignatureEvidence>> ReadAsync(IRegistryClient registry, ImageReference repository, string digest, long maxBlobBytes, CancellationToken cancellationToken)
    {
        // Unfiltered: one listing serves both artifact types.
        var referrers = await registry.GetReferrersAsync(repository, digest, null, cancellationToken).ConfigureAwait(false);
        var found = new List<SignatureEvidence>();
        foreach (var referrer in referrers.Take(MaxReferrers))
        {
            var origin = $"bundle {referrer.Digest}";
            var manifest = await registry.TryGetManifestAsync(repository, referrer.Digest, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                continue;
            }
            var layer = manifest.Parsed.Layers?.FirstOrDefault(l => l.MediaType == MediaTypes.SigstoreBundleV03);
            var cosignSignature = manifest.Parsed.ArtifactType == MediaTypes.CosignSignatureArtifact
                || manifest.Parsed.Config?.MediaType == MediaTypes.CosignSignatureArtifact;
            if (layer is null && manifest.Parsed.ArtifactType != MediaTypes.SigstoreBundleV03 && !cosignSignature)
            {
                continue; // another kind of referrer (SBOM, attestation of another format)
            }
            if (manifest.Parsed.Subject?.Digest != digest)
            {
                found.Add(Broken(origin, $"the referring manifest's subject is {manifest.Parsed.Subject?.Digest ?? "missing"}, not {digest}"));
                continue;
            }
            if (cosignSignature)
            {
                found.AddRange(await LegacySignatureReader.ReadLayersAsync(registry, repository, manifest, $"referrer {referrer.Digest}", maxBlobBytes, cancellationToken).ConfigureAwait(false));
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
