using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>
/// Sigstore bundles over a blob, as a conformance client receives them: a DSSE in-toto statement
/// (any predicate) or a message signature, signed by a <see cref="FulcioTestAuthority"/> leaf or a
/// bare key, with a Rekor v1 entry carrying a signed entry timestamp and an inclusion proof (the
/// entry alone in a one-leaf tree) with a checkpoint signed by that authority's log.
/// </summary>
internal sealed class ArtifactBundles(FulcioTestAuthority fulcio)
{
    public const string Provenance = "https://slsa.dev/provenance/v1";

    /// <summary>The log's checkpoint origin: the host of the base URL the trust root gives it.</summary>
    public const string Origin = "rekor.test";

    /// <summary>When every bundle here was logged: a month into the throwaway root's life.</summary>
    public DateTimeOffset SignedAt { get; } = new DateTimeOffset(fulcio.Root.NotBefore.ToUniversalTime(), TimeSpan.Zero).AddDays(30);

    /// <summary>What the bundles here may be verified with: the authority's CA, Rekor log and CT log.</summary>
    public SigstoreTrustRoot TrustRoot() => TrustedRootFile.Parse(Encoding.UTF8.GetBytes(TrustedRoot().ToJson().ToJsonString()));

    /// <summary>The same as a <c>trusted_root.json</c>: the authority's Rekor log (origin <see cref="Origin"/>), CT log and CA.</summary>
    public TrustedRootBuilder TrustedRoot() => fulcio.TrustedRoot();

    /// <summary>A keyless DSSE bundle whose statement names <paramref name="subjects"/> (sha256 digests).</summary>
    public JsonObject KeylessDsse(params string[] subjects)
    {
        var (leaf, key) = fulcio.IssueLeaf(SignedAt.AddMinutes(-2));
        using (key)
        {
            var statement = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["_type"] = "https://in-toto.io/Statement/v1",
                ["subject"] = new JsonArray(subjects.Select(s => (JsonNode)new JsonObject
                {
                    ["name"] = "a.txt",
                    ["digest"] = new JsonObject { ["sha256"] = s["sha256:".Length..] },
                }).ToArray()),
                ["predicateType"] = Provenance,
                ["predicate"] = new JsonObject { ["buildDefinition"] = new JsonObject() },
            }.ToJsonString());
            var pae = Encoding.UTF8.GetBytes($"DSSEv1 28 application/vnd.in-toto+json {statement.Length} ").Concat(statement).ToArray();
            var signature = key.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            var logged = new JsonObject
            {
                ["payloadHash"] = Sha256(statement),
                ["signatures"] = new JsonArray(new JsonObject { ["signature"] = Convert.ToBase64String(signature), ["verifier"] = PemBase64(leaf.ExportCertificatePem()) }),
            };
            return Bundle(Certificate(leaf), Entry("dsse", logged), "dsseEnvelope", new JsonObject
            {
                ["payload"] = Convert.ToBase64String(statement),
                ["payloadType"] = "application/vnd.in-toto+json",
                ["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(signature) }),
            });
        }
    }

    /// <summary>A keyless message-signature bundle over <paramref name="artifact"/>.</summary>
    public JsonObject KeylessMessage(byte[] artifact)
    {
        var (leaf, key) = fulcio.IssueLeaf(SignedAt.AddMinutes(-2));
        using (key)
        {
            return Message(artifact, key, Certificate(leaf), leaf.ExportCertificatePem());
        }
    }

    /// <summary>A message-signature bundle over <paramref name="artifact"/> by a bare <paramref name="key"/>.</summary>
    public JsonObject KeyedMessage(byte[] artifact, ECDsa key) =>
        Message(artifact, key, new JsonObject { ["publicKey"] = new JsonObject { ["hint"] = "test key" } }, key.ExportSubjectPublicKeyInfoPem());

    private JsonObject Message(byte[] artifact, ECDsa key, JsonObject material, string signerPem)
    {
        var signature = key.SignData(artifact, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var logged = new JsonObject
        {
            ["data"] = new JsonObject { ["hash"] = Sha256(artifact) },
            ["signature"] = new JsonObject { ["content"] = Convert.ToBase64String(signature), ["publicKey"] = new JsonObject { ["content"] = PemBase64(signerPem) } },
        };
        return Bundle(material, Entry("hashedrekord", logged), "messageSignature", new JsonObject
        {
            ["messageDigest"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(SHA256.HashData(artifact)) },
            ["signature"] = Convert.ToBase64String(signature),
        });
    }

    // A Rekor v1 entry proven by a signed entry timestamp over its canonical form and by inclusion.
    private JsonObject Entry(string kind, JsonObject spec)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(new JsonObject { ["apiVersion"] = "0.0.1", ["kind"] = kind, ["spec"] = spec }.ToJsonString());
        var body = Convert.ToBase64String(bodyBytes);
        var time = SignedAt.ToUnixTimeSeconds();
        const long index = 7_000_001;
        var canonical = string.Create(CultureInfo.InvariantCulture, $"{{\"body\":\"{body}\",\"integratedTime\":{time},\"logID\":\"{fulcio.LogIdHex}\",\"logIndex\":{index}}}");
        var set = fulcio.RekorKey.SignData(Encoding.UTF8.GetBytes(canonical), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new JsonObject
        {
            ["logIndex"] = index.ToString(CultureInfo.InvariantCulture),
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(Convert.FromHexString(fulcio.LogIdHex)) },
            ["kindVersion"] = new JsonObject { ["kind"] = kind, ["version"] = "0.0.1" },
            ["integratedTime"] = time.ToString(CultureInfo.InvariantCulture),
            ["inclusionPromise"] = new JsonObject { ["signedEntryTimestamp"] = Convert.ToBase64String(set) },
            ["inclusionProof"] = OneLeafProof(bodyBytes),
            ["canonicalizedBody"] = body,
        };
    }

    // The root of a one-leaf RFC 6962 tree is the leaf hash, and the audit path is empty.
    private JsonObject OneLeafProof(byte[] body)
    {
        var root = Convert.ToBase64String(SHA256.HashData([0, .. body]));
        // Rekor v1 names its checkpoints after the host and the shard's tree id.
        var note = $"{Origin} - 3904496407287907110\n1\n{root}\n";
        var signature = fulcio.RekorKey.SignData(Encoding.UTF8.GetBytes(note), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var hint = Convert.FromHexString(fulcio.LogIdHex[..8]);
        return new JsonObject
        {
            ["logIndex"] = "0",
            ["rootHash"] = root,
            ["treeSize"] = "1",
            ["hashes"] = new JsonArray(),
            ["checkpoint"] = new JsonObject { ["envelope"] = $"{note}\n\u2014 {Origin} {Convert.ToBase64String([.. hint, .. signature])}\n" },
        };
    }

    private static JsonObject Bundle(JsonObject material, JsonObject entry, string contentName, JsonObject content)
    {
        material["tlogEntries"] = new JsonArray(entry);
        return new JsonObject
        {
            ["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.3+json",
            ["verificationMaterial"] = material,
            [contentName] = content,
        };
    }

    private static JsonObject Certificate(X509Certificate2 leaf) => new() { ["certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(leaf.RawData) } };

    private static JsonObject Sha256(byte[] data) => new() { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(data)) };

    private static string PemBase64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
}
