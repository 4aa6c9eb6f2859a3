using System.Security.Cryptography;
using System.Text;
using UpdateAgent.Trust.Json;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// The Rekor bundle of a cosign <c>.sig</c> layer (the <c>dev.sigstore.cosign/bundle</c>
/// annotation: <c>{SignedEntryTimestamp, Payload: {body, integratedTime, logIndex, logID}}</c>).
/// The input is the annotation's text (as UTF-8), set on the one simple-signing layer of a fixed signature
/// manifest whose payload is valid (a bad payload would stop the reader before the annotation).
/// The layer is read by the signature reader the agent uses for <c>.sig</c> tags and referrers,
/// then its entry is checked offline as a keyless authority checks it, against the test log the
/// seed's entry timestamp verifies with. Handled: nothing may escape the reader (an unreadable
/// annotation is an entry that never verifies); <see cref="FormatException"/> from the check,
/// which the authority check turns into "invalid tlog".
/// </summary>
internal static class LegacySigBundleTarget
{
    public static FuzzTarget Target { get; } = new("legacy-sig-bundle", "FormatException from the tlog check; nothing from the reader", Run);

    // The seed log entry's signature (the reader needs some base64 here to read the layer at all).
    private const string Signature = "MEUCIEdbIEX1SvTE/FZHMzMFA5snEqTfd25zz3mg7lKjrANaAiEA7r8DJ8XIHK5gK4FYpqI+mClxzo7l55TouT+pe7X+4yY=";

    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        """{"critical":{"identity":{"docker-reference":"registry.test/acme/app"},"image":{"docker-manifest-digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"type":"cosign container image signature"},"optional":{"stage":"prod","n":1}}""");

    private static readonly string PayloadDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Payload));

    private static readonly PayloadRegistry Registry = new(PayloadDigest, Payload);

    private static readonly ImageReference Repository = ImageReference.Parse("registry.test/acme/app");

    private static void Run(byte[] input)
    {
        // The input lives in the layer's annotations, so each run builds its own layer.
        var layer = new OciDescriptor
        {
            MediaType = MediaTypes.SimpleSigning,
            Digest = PayloadDigest,
            Size = Payload.Length,
            Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [LegacySignatureReader.SignatureAnnotation] = Signature,
                [LegacySignatureReader.BundleAnnotation] = Encoding.UTF8.GetString(input),
            },
        };
        var parsed = new OciManifest { SchemaVersion = 2, MediaType = MediaTypes.OciManifest, Layers = [layer] };
        var manifest = new ManifestContent("sha256:" + new string('b', 64), MediaTypes.OciManifest, [], parsed);
        var evidence = LegacySignatureReader.ReadLayersAsync(Registry, Repository, manifest, "fuzz.sig", 1 << 20, CancellationToken.None).GetAwaiter().GetResult();
        foreach (var signature in evidence)
        {
            try
            {
                TlogVerifier.Check(signature, FuzzLog.Logs, signature.Certificate?.RawData ?? []);
            }
            catch (FormatException)
            {
            }
        }
    }
}
