using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

/// <summary>
/// Sigstore bundle v0.3 as cosign 3 attaches it (DSSE statement, certificate, dsse Rekor entry
/// with inclusion proof and signed checkpoint), built here because the installed cosign 2.5
/// cannot write a keyless bundle without the public-good services.
/// </summary>
public sealed class SigstoreBundleTests : IDisposable
{
    private readonly TrustHarness _h = new();
    private readonly FulcioTestAuthority _fulcio;
    private readonly DateTimeOffset _signedAt = DateTimeOffset.UtcNow.AddHours(-3);

    public SigstoreBundleTests() => _fulcio = new FulcioTestAuthority(_h.Folder);

    private async Task<string> BundleSignedAsync(Action<JsonObject>? mutateEntry = null, string? statementDigest = null, bool withSet = false)
    {
        var digest = _h.PushImage();
        await _h.SignAsync("gate", digest, "stage=prod");
        var (leaf, key) = _fulcio.IssueLeaf(_signedAt.AddMinutes(-2));
        using (key)
        {
            var statement = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["_type"] = "https://in-toto.io/Statement/v1",
                ["subject"] = new JsonArray(new JsonObject { ["digest"] = new JsonObject { ["sha256"] = (statementDigest ?? digest)[7..] } }),
                ["predicateType"] = "https://sigstore.dev/cosign/sign/v1",
                ["predicate"] = new JsonObject(),
            }.ToJsonString());
            var pae = Encoding.UTF8.GetBytes($"DSSEv1 28 application/vnd.in-toto+json {statement.Length} ").Concat(statement).ToArray();
            var signature = key.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            var bundle = Bundle(leaf, statement, signature, mutateEntry, withSet);
            PushReferrer(digest, Encoding.UTF8.GetBytes(bundle.ToJsonString()));
        }
        return digest;
    }

    private JsonObject Bundle(X509Certificate2 leaf, byte[] statement, byte[] signature, Action<JsonObject>? mutateEntry, bool withSet)
    {
        var body = KeylessBundleFactory.DsseV001(statement, signature, leaf);
        // The entry sits at index 5 of a 13-entry log shard.
        var leaves = Enumerable.Range(0, 13).Select(i => i == 5 ? body : Encoding.UTF8.GetBytes($"other entry {i}")).ToList();
        var root = MerkleTree.Root(leaves);
        var note = $"rekor.test - 1\n13\n{Convert.ToBase64String(root)}\n";
        var noteSignature = _fulcio.RekorKey.SignData(Encoding.UTF8.GetBytes(note), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var hint = Convert.FromHexString(_fulcio.LogIdHex[..8]);
        var checkpoint = note + "\n\u2014 rekor.test " + Convert.ToBase64String([.. hint, .. noteSignature]) + "\n";
        var entry = new JsonObject
        {
            ["logIndex"] = "1005",
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(Convert.FromHexString(_fulcio.LogIdHex)) },
            ["kindVersion"] = new JsonObject { ["kind"] = "dsse", ["version"] = "0.0.1" },
            ["integratedTime"] = _signedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = "5",
                ["rootHash"] = Convert.ToBase64String(root),
                ["treeSize"] = "13",
                ["hashes"] = new JsonArray(MerkleTree.Path(leaves, 5).Select(h => (JsonNode)Convert.ToBase64String(h)).ToArray()),
                ["checkpoint"] = new JsonObject { ["envelope"] = checkpoint },
            },
            ["canonicalizedBody"] = Convert.ToBase64String(body),
        };
        if (withSet)
        {
            var canonical = $"{{\"body\":\"{Convert.ToBase64String(body)}\",\"integratedTime\":{_signedAt.ToUnixTimeSeconds()},\"logID\":\"{_fulcio.LogIdHex}\",\"logIndex\":1005}}";
            entry["inclusionPromise"] = new JsonObject
            {
                ["signedEntryTimestamp"] = Convert.ToBase64String(_fulcio.RekorKey.SignData(Encoding.UTF8.GetBytes(canonical), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            };
        }
        mutateEntry?.Invoke(entry);
        return new JsonObject
        {
            ["mediaType"] = MediaTypes.SigstoreBundleV03,
            ["verificationMaterial"] = new JsonObject
            {
                ["certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(leaf.RawData) },
                ["tlogEntries"] = new JsonArray(entry),
            },
            ["dsseEnvelope"] = new JsonObject
            {
                ["payload"] = Convert.ToBase64String(statement),
                ["payloadType"] = "application/vnd.in-toto+json",
                ["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(signature) }),
            },
        };
    }

    private void PushReferrer(string subject, byte[] bundle) => KeylessBundleFactory.PushReferrer(_h, subject, bundle);

    private Task<Verdict> VerifyAsync(string digest)
    {
        var policy = _h.Policy(extraAuthorities: _fulcio.AuthorityToml("release"));
        return _h.VerifyAsync(digest, new UpdateAgent.Trust.Policy.TrustPolicy
        {
            Authorities = policy.Authorities,
            Images = [new UpdateAgent.Trust.Policy.ImagePolicy { Repository = policy.Images[0].Repository, SignedBy = ["release"] }],
        });
    }

    [Fact]
    public async Task Keyless_bundle_with_inclusion_proof_checkpoint_and_SET_is_accepted()
    {
        var digest = await BundleSignedAsync(withSet: true);

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
        Assert.StartsWith("bundle sha256:", Assert.Single(verdict.Signers).Origin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyless_bundle_with_only_an_inclusion_proof_has_no_signing_time_and_is_refused()
    {
        var digest = await BundleSignedAsync(withSet: false);

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.MissingTimestamp), string.Join("\n", verdict.Reasons));
    }

    [Fact]
    public async Task Bundle_whose_statement_names_another_digest_is_refused()
    {
        var digest = await BundleSignedAsync(statementDigest: "sha256:" + new string('9', 64), withSet: true);
        Assert.True((await VerifyAsync(digest)).Has(ReasonCodes.DigestMismatch));
    }

    [Theory]
    [InlineData("rootHash")]
    [InlineData("checkpoint")]
    [InlineData("treeSize")]
    public async Task Broken_inclusion_proof_or_checkpoint_is_refused_as_invalid_tlog(string broken)
    {
        var digest = await BundleSignedAsync(entry =>
        {
            var proof = entry["inclusionProof"]!.AsObject();
            switch (broken)
            {
                case "rootHash":
                    proof["rootHash"] = Convert.ToBase64String(new byte[32]);
                    break;
                case "checkpoint":
                    var text = proof["checkpoint"]!["envelope"]!.GetValue<string>();
                    proof["checkpoint"] = new JsonObject { ["envelope"] = text.Replace("rekor.test - 1", "rekor.test - 2", StringComparison.Ordinal) };
                    break;
                default:
                    proof["treeSize"] = "14";
                    break;
            }
        });
        var verdict = await VerifyAsync(digest);
        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), string.Join("\n", verdict.Reasons));
    }

    public void Dispose()
    {
        _fulcio.Dispose();
        _h.Dispose();
    }
}
