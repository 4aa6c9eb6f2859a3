using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using UpdateAgent.Trust.Bundles;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Verification;

/// <summary>
/// Which log entries prove a bundle over an artifact: Rekor v2's hashedrekord over a DSSE
/// envelope's pre-authentication encoding, and the inclusion proof the bundle format requires
/// from v0.2 on.
/// </summary>
public sealed class ArtifactLogEntryTests : IDisposable
{
    private static readonly byte[] Artifact = "what was released\n"u8.ToArray();
    private static readonly string ArtifactDigest = DigestValue.Of(Artifact);

    private readonly string _folder = Directory.CreateTempSubdirectory("artifact-entries-").FullName;
    private readonly FulcioTestAuthority _fulcio;
    private readonly ArtifactBundles _bundles;

    public ArtifactLogEntryTests()
    {
        _fulcio = new FulcioTestAuthority(_folder);
        _bundles = new ArtifactBundles(_fulcio);
    }

    private SignatureEvidence DsseEvidence() =>
        SigstoreBundle.ToArtifactEvidence(Encoding.UTF8.GetBytes(_bundles.KeylessDsse(ArtifactDigest).ToJsonString()), "b", ArtifactDigest);

    private static byte[] V2Entry(string kind, string specName, JsonObject spec) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["apiVersion"] = "0.0.2", ["kind"] = kind, ["spec"] = new JsonObject { [specName] = spec } }.ToJsonString());

    private static JsonObject V2Signature(SignatureEvidence evidence) => new()
    {
        ["content"] = Convert.ToBase64String(evidence.Signature),
        ["verifier"] = new JsonObject { ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256", ["x509Certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(evidence.Certificate!.RawData) } },
    };

    private static JsonObject Sha256(byte[] data) => new() { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(SHA256.HashData(data)) };

    [Fact]
    public void A_Rekor_v2_hashedrekord_over_the_DSSE_encoding_describes_the_envelope()
    {
        var evidence = DsseEvidence();
        var overPae = V2Entry("hashedrekord", "hashedRekordV002", new JsonObject { ["data"] = Sha256(evidence.SignedBytes), ["signature"] = V2Signature(evidence) });
        var overStatement = V2Entry("hashedrekord", "hashedRekordV002", new JsonObject { ["data"] = Sha256(evidence.LoggedPayload), ["signature"] = V2Signature(evidence) });

        Assert.Null(RekorEntryMatcher.Check(overPae, evidence, evidence.Certificate!.RawData));
        Assert.Equal("the logged entry is for another payload", RekorEntryMatcher.Check(overStatement, evidence, evidence.Certificate.RawData));
    }

    [Fact]
    public void A_Rekor_v2_dsse_entry_still_names_the_statement_not_the_encoding()
    {
        var evidence = DsseEvidence();
        var overStatement = V2Entry("dsse", "dsseV002", new JsonObject { ["payloadHash"] = Sha256(evidence.LoggedPayload), ["signatures"] = new JsonArray(V2Signature(evidence)) });
        var overPae = V2Entry("dsse", "dsseV002", new JsonObject { ["payloadHash"] = Sha256(evidence.SignedBytes), ["signatures"] = new JsonArray(V2Signature(evidence)) });

        Assert.Null(RekorEntryMatcher.Check(overStatement, evidence, evidence.Certificate!.RawData));
        Assert.Equal("the logged entry is for another payload", RekorEntryMatcher.Check(overPae, evidence, evidence.Certificate.RawData));
    }

    [Fact]
    public void A_message_signature_has_no_payload_a_dsse_entry_could_name()
    {
        var message = SigstoreBundle.ToArtifactEvidence(Encoding.UTF8.GetBytes(_bundles.KeylessMessage(Artifact).ToJsonString()), "b", ArtifactDigest);
        var dsse = V2Entry("dsse", "dsseV002", new JsonObject { ["payloadHash"] = Sha256(Artifact), ["signatures"] = new JsonArray(V2Signature(message)) });
        var hashed = V2Entry("hashedrekord", "hashedRekordV002", new JsonObject { ["data"] = Sha256(Artifact), ["signature"] = V2Signature(message) });

        Assert.Equal("the logged entry is for another payload", RekorEntryMatcher.Check(dsse, message, message.Certificate!.RawData));
        Assert.Null(RekorEntryMatcher.Check(hashed, message, message.Certificate.RawData));
    }

    [Theory]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.3+json", ReasonCodes.InvalidTlog)]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=0.2", ReasonCodes.InvalidTlog)]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=0.1", null)]
    public void Only_a_v0_1_bundle_may_rest_on_a_signed_entry_timestamp_without_a_proof(string mediaType, string? code)
    {
        var bundle = _bundles.KeylessDsse(ArtifactDigest);
        bundle["mediaType"] = mediaType;
        bundle["verificationMaterial"]!["tlogEntries"]![0]!.AsObject().Remove("inclusionProof");

        var check = BundleVerification.Verify(Encoding.UTF8.GetBytes(bundle.ToJsonString()), ArtifactDigest,
            BundleVerification.KeylessAuthority(FulcioTestAuthority.Workflow, FulcioTestAuthority.GitHubIssuer, _bundles.TrustRoot()));

        Assert.Equal(code, check.Failure?.Code);
    }

    public void Dispose()
    {
        _fulcio.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
