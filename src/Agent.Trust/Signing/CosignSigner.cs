using System.Text.Json;
using UpdateAgent.Trust.Json;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Signing;

/// <summary>
/// Writes a cosign-compatible keyed signature in the <c>sha256-&lt;hex&gt;.sig</c> layout: a
/// simple-signing payload naming the repository and digest (plus annotations), signed with
/// the key, appended as one more layer to the signature manifest. <c>cosign verify</c> accepts it.
/// </summary>
public sealed class CosignSigner(IRegistryClient registry)
{
    /// <summary>Signs <paramref name="image"/> (which must name a digest) and stores the signature; returns the signature manifest's digest.</summary>
    public async Task<string> SignAsync(ImageReference image, SigningKey key, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(annotations);
        var digest = image.Digest ?? throw new ArgumentException("bless signs a digest: IMAGE@sha256:…", nameof(image));
        // The image must exist: a signature for a digest nobody can pull is a mistake.
        _ = await registry.TryGetManifestAsync(image, digest, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryFailure.NotFound, $"{image.Name}@{digest}: no such manifest");

        var payload = SimpleSigningPayload.Create(image.Name, digest, annotations);
        var signature = Convert.ToBase64String(key.Sign(payload));
        return await AppendLayerAsync(image, digest, payload,
            new Dictionary<string, string>(StringComparer.Ordinal) { [LegacySignatureReader.SignatureAnnotation] = signature },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds one simple-signing layer (payload plus its annotations: signature, and for keyless
    /// signers certificate, chain and Rekor bundle) to the image's signature manifest.
    /// </summary>
    internal async Task<string> AppendLayerAsync(ImageReference image, string digest, byte[] payload, Dictionary<string, string> layerAnnotations, CancellationToken cancellationToken)
    {
        var payloadDigest = await registry.PushBlobAsync(image, payload, cancellationToken).ConfigureAwait(false);
        var tag = DigestValue.SignatureTag(digest);
        var existing = await registry.TryGetManifestAsync(image, tag, cancellationToken).ConfigureAwait(false);
        var layers = existing?.Parsed.Layers?.Where(l => l.MediaType == MediaTypes.SimpleSigning).ToList() ?? [];
        var signature = layerAnnotations.GetValueOrDefault(LegacySignatureReader.SignatureAnnotation);
        var alreadyThere = layers.Any(l => l.Digest == payloadDigest
            && l.Annotations?.GetValueOrDefault(LegacySignatureReader.SignatureAnnotation) == signature);
        if (!alreadyThere)
        {
            layers.Add(new OciDescriptor
            {
                MediaType = MediaTypes.SimpleSigning,
                Digest = payloadDigest,
                Size = payload.Length,
                Annotations = layerAnnotations,
            });
        }
        var config = ConfigFor(layers);
        var configDigest = await registry.PushBlobAsync(image, config, cancellationToken).ConfigureAwait(false);
        var manifest = new OciManifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Config = new OciDescriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = config.Length },
            Layers = layers,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, TrustJsonContext.Default.OciManifest);
        return await registry.PushManifestAsync(image, tag, bytes, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
    }

    // A minimal valid image config whose rootfs lists the signature layers, as cosign writes it.
    private static byte[] ConfigFor(List<OciDescriptor> layers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("architecture", string.Empty);
            writer.WriteString("os", string.Empty);
            writer.WriteStartObject("config");
            writer.WriteEndObject();
            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            writer.WriteStartArray("diff_ids");
            foreach (var layer in layers)
            {
                writer.WriteStringValue(layer.Digest);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
