using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using UpdateAgent.Trust.Json;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Signatures;

/// <summary>Reads cosign's tag-based signatures: the <c>sha256-&lt;hex&gt;.sig</c> manifest, one simple-signing layer per signature.</summary>
internal static class LegacySignatureReader
{
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string CertificateAnnotation = "dev.sigstore.cosign/certificate";
    public const string ChainAnnotation = "dev.sigstore.cosign/chain";
    public const string BundleAnnotation = "dev.sigstore.cosign/bundle";

    /// <summary>At most this many signature layers are considered; more is an attack on our time, not a signature set.</summary>
    public const int MaxLayers = 64;

    public static async Task<List<SignatureEvidence>> ReadAsync(IRegistryClient registry, ImageReference repository, string digest, long maxBlobBytes, CancellationToken cancellationToken)
    {
        var tag = DigestValue.SignatureTag(digest);
        var manifest = await registry.TryGetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        return manifest is null ? [] : await ReadLayersAsync(registry, repository, manifest, tag, maxBlobBytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every simple-signing layer of a signature manifest: the <c>.sig</c> tag's, or one that cosign's
    /// OCI 1.1 mode attaches as a referrer. Payload blobs are independent, so they are fetched concurrently.
    /// </summary>
    public static async Task<List<SignatureEvidence>> ReadLayersAsync(IRegistryClient registry, ImageReference repository, ManifestContent manifest, string name, long maxBlobBytes, CancellationToken cancellationToken)
    {
        var layers = manifest.Parsed.Layers ?? [];
        if (layers.Count > MaxLayers)
        {
            throw new RegistryException(RegistryFailure.TooLarge, $"{repository.Name}:{name} has {layers.Count} layers, more than {MaxLayers}");
        }
        var reads = layers
            .Select((layer, i) => (layer, origin: $"{name} layer {i}"))
            .Where(l => l.layer.MediaType == MediaTypes.SimpleSigning)
            .Select(l => ReadLayerAsync(registry, repository, l.layer, l.origin, maxBlobBytes, cancellationToken))
            .ToList();
        return [.. await Task.WhenAll(reads).ConfigureAwait(false)];
    }

    private static async Task<SignatureEvidence> ReadLayerAsync(IRegistryClient registry, ImageReference repository, OciDescriptor layer, string origin, long maxBlobBytes, CancellationToken cancellationToken)
    {
        var annotations = layer.Annotations ?? new Dictionary<string, string>(StringComparer.Ordinal);
        byte[]? payload = null;
        string? error = null;
        if (!DigestValue.IsValid(layer.Digest))
        {
            error = "the layer names no valid digest";
        }
        else
        {
            try
            {
                payload = await registry.TryGetBlobAsync(repository, layer.Digest!, layer.Size, maxBlobBytes, cancellationToken).ConfigureAwait(false);
                error = payload is null ? "the payload blob is missing" : null;
            }
            catch (RegistryException ex) when (!ex.IsTransient)
            {
                // A payload that does not hash to its layer digest was altered after signing (or in transit).
                error = $"the payload blob does not match its layer: {ex.Message}";
            }
        }
        byte[] signature = [];
        if (error is null && !Base64Text.TryDecode(annotations.GetValueOrDefault(SignatureAnnotation), out signature))
        {
            error = $"the layer has no base64 '{SignatureAnnotation}' annotation";
        }
        SimpleSigningPayload? parsed = null;
        if (error is null)
        {
            try
            {
                parsed = SimpleSigningPayload.Parse(payload);
            }
            catch (FormatException ex)
            {
                error = ex.Message;
            }
        }
        X509Certificate2? certificate = null;
        var chain = new List<X509Certificate2>();
        TlogEvidence? tlog = null;
        if (error is null)
        {
            try
            {
                certificate = Certificates(annotations.GetValueOrDefault(CertificateAnnotation)).FirstOrDefault();
                chain = Certificates(annotations.GetValueOrDefault(ChainAnnotation));
                tlog = ReadRekorBundle(annotations.GetValueOrDefault(BundleAnnotation));
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException or JsonException)
            {
                error = $"the signature's certificate or log annotations are malformed: {ex.Message}";
            }
        }
        return new SignatureEvidence
        {
            Origin = origin,
            SignedBytes = payload ?? [],
            LoggedPayload = payload ?? [],
            Signature = signature,
            Certificate = certificate,
            Chain = chain,
            Tlog = tlog,
            ClaimedDigest = parsed?.ManifestDigest,
            ClaimedRepository = parsed?.DockerReference,
            Annotations = parsed?.Annotations ?? new Dictionary<string, string>(),
            PayloadError = error,
        };
    }

    internal static List<X509Certificate2> Certificates(string? pem) =>
        pem is null ? [] : PemBlocks.Read(pem).Where(b => b.Label == "CERTIFICATE").Select(b => X509CertificateLoader.LoadCertificate(b.Der)).ToList();

    // A present but unreadable annotation becomes an entry the log check refuses (invalid-tlog):
    // it must not fail the payload, and never throw past this reader.
    private static TlogEvidence? ReadRekorBundle(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            var document = JsonSerializer.Deserialize(json, TrustJsonContext.Default.RekorBundleDocument);
            var payload = document?.Payload;
            if (payload?.Body is null || payload.LogId is null)
            {
                return TlogEvidence.Malformed("the Rekor bundle has no body or log id");
            }
            return new TlogEvidence
            {
                Body = Convert.FromBase64String(payload.Body),
                BodyBase64 = payload.Body,
                IntegratedTime = payload.IntegratedTime,
                LogIndex = payload.LogIndex,
                LogIdHex = payload.LogId.ToLowerInvariant(),
                SignedEntryTimestamp = document!.SignedEntryTimestamp is { } set ? Convert.FromBase64String(set) : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return TlogEvidence.Malformed($"the Rekor bundle annotation cannot be read: {ex.Message}");
        }
    }
}
