using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>What a generated keyless bundle carries: which log entry, which proofs, which timestamps.</summary>
internal sealed record BundleShape
{
    /// <summary>The integration time written into the entry (Rekor v1); null writes none.</summary>
    public DateTimeOffset? IntegratedAt { get; init; }

    /// <summary>Whether the entry carries a signed entry timestamp over its (possibly edited) fields.</summary>
    public bool WithSet { get; init; }

    /// <summary>Whether the entry carries an inclusion proof with a signed checkpoint.</summary>
    public bool WithProof { get; init; } = true;

    /// <summary>The time the SET covers, when it differs from <see cref="IntegratedAt"/> (the field was edited after signing).</summary>
    public DateTimeOffset? SetCovers { get; init; }

    /// <summary>RFC 3161 responses to attach, each made over the signature bytes by <c>timestamp(signature)</c>.</summary>
    public IReadOnlyList<Func<byte[], byte[]>> Timestamps { get; init; } = [];

    /// <summary>Rekor v2 (<c>dsse</c> 0.0.2 body, note key ID) instead of v1 (<c>dsse</c> 0.0.1).</summary>
    public RekorV2TestLog? V2Log { get; init; }

    /// <summary>Origin line of the checkpoint; defaults to the log's.</summary>
    public string? CheckpointOrigin { get; init; }

    /// <summary>Another entry body for (statement, signature, leaf), e.g. an <c>intoto</c> 0.0.2 entry.</summary>
    public Func<byte[], byte[], X509Certificate2, byte[]>? Body { get; init; }

    /// <summary>Raw overrides of entry fields (e.g. a huge <c>integratedTime</c>), applied last.</summary>
    public Action<JsonObject>? Mutate { get; init; }
}

/// <summary>
/// Builds sigstore bundle v0.3 documents the way cosign 3 does (DSSE statement, Fulcio leaf, one
/// Rekor entry) from throwaway material, and attaches them to an image as OCI referrers.
/// </summary>
internal static class KeylessBundleFactory
{
    public const string V1Origin = "rekor.test - 1";

    public static JsonObject Bundle(FulcioTestAuthority fulcio, X509Certificate2 leaf, ECDsa key, string digest, BundleShape shape) =>
        Bundle(fulcio, key, leaf, digest, shape);

    /// <summary>A bundle signed with a plain key (no certificate): the material names only a key hint.</summary>
    public static JsonObject KeyedBundle(FulcioTestAuthority fulcio, ECDsa key, string digest, BundleShape shape) =>
        Bundle(fulcio, key, null, digest, shape);

    private static JsonObject Bundle(FulcioTestAuthority fulcio, ECDsa key, X509Certificate2? leaf, string digest, BundleShape shape)
    {
        var statement = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new JsonArray(new JsonObject { ["digest"] = new JsonObject { ["sha256"] = digest[7..] } }),
            ["predicateType"] = "https://sigstore.dev/cosign/sign/v1",
            ["predicate"] = new JsonObject(),
        }.ToJsonString());
        var pae = Encoding.UTF8.GetBytes($"DSSEv1 28 application/vnd.in-toto+json {statement.Length} ").Concat(statement).ToArray();
        var signature = key.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var body = leaf is null ? DsseV001(statement, signature, key.ExportSubjectPublicKeyInfoPem())
            : shape.Body?.Invoke(statement, signature, leaf)
            ?? (shape.V2Log is null ? DsseV001(statement, signature, leaf) : RekorV2TestLog.DsseV002(statement, signature, leaf));
        var entry = Entry(fulcio, body, shape);
        var material = new JsonObject { ["tlogEntries"] = new JsonArray(entry) };
        material[leaf is null ? "publicKey" : "certificate"] = leaf is null
            ? new JsonObject { ["hint"] = "test-key" }
            : new JsonObject { ["rawBytes"] = Convert.ToBase64String(leaf.RawData) };
        if (shape.Timestamps.Count > 0)
        {
            material["timestampVerificationData"] = new JsonObject
            {
                ["rfc3161Timestamps"] = new JsonArray(shape.Timestamps
                    .Select(t => (JsonNode)new JsonObject { ["signedTimestamp"] = Convert.ToBase64String(t(signature)) }).ToArray()),
            };
        }
        return new JsonObject
        {
            ["mediaType"] = MediaTypes.SigstoreBundleV03,
            ["verificationMaterial"] = material,
            ["dsseEnvelope"] = new JsonObject
            {
                ["payload"] = Convert.ToBase64String(statement),
                ["payloadType"] = "application/vnd.in-toto+json",
                ["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(signature) }),
            },
        };
    }

    public static byte[] DsseV001(byte[] statement, byte[] signature, X509Certificate2 leaf) => DsseV001(statement, signature, leaf.ExportCertificatePem());

    public static byte[] DsseV001(byte[] statement, byte[] signature, string verifierPem) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "0.0.1",
        ["kind"] = "dsse",
        ["spec"] = new JsonObject
        {
            ["payloadHash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(statement)) },
            ["signatures"] = new JsonArray(new JsonObject
            {
                ["signature"] = Convert.ToBase64String(signature),
                ["verifier"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(verifierPem)),
            }),
        },
    }.ToJsonString());

    /// <summary>An <c>intoto</c> 0.0.2 entry as older cosign attestations logged it (signature base64-encoded twice, key as base64 PEM).</summary>
    public static byte[] IntotoV002(byte[] statement, byte[] signature, X509Certificate2 leaf) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "0.0.2",
        ["kind"] = "intoto",
        ["spec"] = new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["envelope"] = new JsonObject
                {
                    ["payloadType"] = "application/vnd.in-toto+json",
                    ["signatures"] = new JsonArray(new JsonObject
                    {
                        ["sig"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Convert.ToBase64String(signature))),
                        ["publicKey"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(leaf.ExportCertificatePem())),
                    }),
                },
                ["hash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = new string('0', 64) },
                ["payloadHash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(statement)) },
            },
        },
    }.ToJsonString());

    private static JsonObject Entry(FulcioTestAuthority fulcio, byte[] body, BundleShape shape)
    {
        var logIdHex = shape.V2Log?.LogIdHex ?? fulcio.LogIdHex;
        var entry = new JsonObject
        {
            ["logIndex"] = "1005",
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(Convert.FromHexString(logIdHex)) },
            ["kindVersion"] = new JsonObject { ["kind"] = "dsse", ["version"] = shape.V2Log is null ? "0.0.1" : "0.0.2" },
            ["canonicalizedBody"] = Convert.ToBase64String(body),
        };
        if (shape.IntegratedAt is { } at)
        {
            entry["integratedTime"] = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }
        if (shape.WithProof)
        {
            // The entry sits at index 5 of a 13-entry log shard.
            var leaves = Enumerable.Range(0, 13).Select(i => i == 5 ? body : Encoding.UTF8.GetBytes($"other entry {i}")).ToList();
            var root = MerkleTree.Root(leaves);
            var origin = shape.CheckpointOrigin ?? shape.V2Log?.Origin ?? V1Origin;
            var note = $"{origin}\n13\n{Convert.ToBase64String(root)}\n";
            var noteSignature = shape.V2Log is { } v2
                ? v2.Sign(Encoding.UTF8.GetBytes(note))
                : fulcio.RekorKey.SignData(Encoding.UTF8.GetBytes(note), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            var hint = Convert.FromHexString(logIdHex[..8]);
            entry["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = "5",
                ["rootHash"] = Convert.ToBase64String(root),
                ["treeSize"] = "13",
                ["hashes"] = new JsonArray(MerkleTree.Path(leaves, 5).Select(h => (JsonNode)Convert.ToBase64String(h)).ToArray()),
                ["checkpoint"] = new JsonObject { ["envelope"] = note + "\n\u2014 " + origin.Split(' ')[0] + " " + Convert.ToBase64String([.. hint, .. noteSignature]) + "\n" },
            };
        }
        if (shape.WithSet)
        {
            var covered = (shape.SetCovers ?? shape.IntegratedAt ?? throw new InvalidOperationException("a SET needs a time")).ToUnixTimeSeconds();
            var canonical = $"{{\"body\":\"{Convert.ToBase64String(body)}\",\"integratedTime\":{covered},\"logID\":\"{logIdHex}\",\"logIndex\":1005}}";
            entry["inclusionPromise"] = new JsonObject
            {
                ["signedEntryTimestamp"] = Convert.ToBase64String(fulcio.RekorKey.SignData(Encoding.UTF8.GetBytes(canonical), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            };
        }
        shape.Mutate?.Invoke(entry);
        return entry;
    }

    /// <summary>Attaches <paramref name="bundle"/> to <paramref name="subject"/> the way cosign's OCI 1.1 mode does (referrers tag fallback).</summary>
    public static void PushReferrer(TrustHarness harness, string subject, byte[] bundle)
    {
        var bundleDigest = harness.Registry.PutBlob(bundle);
        var empty = harness.Registry.PutBlob("{}"u8.ToArray());
        var subjectBytes = harness.Registry.ManifestBytes(TrustHarness.Repository, subject);
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = MediaTypes.SigstoreBundleV03,
            ["config"] = new JsonObject { ["mediaType"] = MediaTypes.OciEmpty, ["digest"] = empty, ["size"] = 2 },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = MediaTypes.SigstoreBundleV03, ["digest"] = bundleDigest, ["size"] = bundle.Length }),
            ["subject"] = new JsonObject { ["mediaType"] = MediaTypes.OciManifest, ["digest"] = subject, ["size"] = subjectBytes.Length },
        }.ToJsonString());
        var manifestDigest = harness.Registry.PutManifest(TrustHarness.Repository, "bundle-" + subject[7..19], manifest, MediaTypes.OciManifest);
        var index = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = MediaTypes.OciManifest, ["digest"] = manifestDigest, ["size"] = manifest.Length, ["artifactType"] = MediaTypes.SigstoreBundleV03,
            }),
        }.ToJsonString());
        harness.Registry.PutManifest(TrustHarness.Repository, DigestValue.ReferrersTag(subject), index, MediaTypes.OciIndex);
    }
}
