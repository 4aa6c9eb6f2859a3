using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Verification;

/// <summary>
/// One bundle, one artifact digest, one authority: the entry point a conformance client uses,
/// on generated material (a throwaway Fulcio CA and Rekor key).
/// </summary>
public sealed class BundleVerificationTests : IDisposable
{
    private static readonly byte[] Artifact = "what was released\n"u8.ToArray();
    private static readonly string ArtifactDigest = DigestValue.Of(Artifact);

    private readonly string _folder = Directory.CreateTempSubdirectory("bundle-verify-").FullName;
    private readonly FulcioTestAuthority _fulcio;
    private readonly ArtifactBundles _bundles;

    public BundleVerificationTests()
    {
        _fulcio = new FulcioTestAuthority(_folder);
        _bundles = new ArtifactBundles(_fulcio);
    }

    private TrustAuthority Keyless(string identity = FulcioTestAuthority.Workflow, string issuer = FulcioTestAuthority.GitHubIssuer) =>
        BundleVerification.KeylessAuthority(identity, issuer, _bundles.TrustRoot());

    private static AuthorityCheck Verify(JsonObject bundle, string digest, TrustAuthority authority) =>
        BundleVerification.Verify(Encoding.UTF8.GetBytes(bundle.ToJsonString()), digest, authority);

    [Fact]
    public void A_keyless_DSSE_bundle_over_the_artifact_verifies_with_its_signing_time()
    {
        var check = Verify(_bundles.KeylessDsse(ArtifactDigest), ArtifactDigest, Keyless());

        Assert.Null(check.Failure);
        Assert.Equal(FulcioTestAuthority.Workflow, check.Signer!.Identity);
        Assert.Equal(_bundles.SignedAt, check.Signer.SignedAt);
    }

    [Fact]
    public void A_statement_with_several_subjects_verifies_for_each_of_them()
    {
        var other = DigestValue.Of("another file"u8);
        var bundle = _bundles.KeylessDsse(other, ArtifactDigest);

        Assert.Null(Verify(bundle, ArtifactDigest, Keyless()).Failure);
        Assert.Null(Verify(bundle, other, Keyless()).Failure);
    }

    [Fact]
    public void Another_identity_is_refused()
    {
        var check = Verify(_bundles.KeylessDsse(ArtifactDigest), ArtifactDigest, Keyless(identity: "https://github.com/acme/shop/.github/workflows/other.yml@refs/heads/main"));

        Assert.Equal(ReasonCodes.WrongIdentity, check.Failure?.Code);
    }

    [Fact]
    public void Another_issuer_is_refused()
    {
        var check = Verify(_bundles.KeylessDsse(ArtifactDigest), ArtifactDigest, Keyless(issuer: "https://accounts.google.com"));

        Assert.Equal(ReasonCodes.WrongIssuer, check.Failure?.Code);
    }

    [Fact]
    public void A_bundle_for_another_artifact_is_refused()
    {
        var check = Verify(_bundles.KeylessDsse(ArtifactDigest), DigestValue.Of("tampered"u8), Keyless());

        Assert.Equal(ReasonCodes.DigestMismatch, check.Failure?.Code);
    }

    [Fact]
    public void A_certificate_from_another_CA_is_refused()
    {
        using var stranger = new FulcioTestAuthority(_folder, "stranger");
        var bundle = new ArtifactBundles(stranger).KeylessDsse(ArtifactDigest);

        var check = Verify(bundle, ArtifactDigest, Keyless());

        Assert.False(check.Verified);
        Assert.Contains(check.Failure!.Code, new[] { ReasonCodes.InvalidTlog, ReasonCodes.UntrustedChain });
    }

    [Fact]
    public void A_keyless_message_signature_over_the_blob_verifies_and_a_changed_blob_does_not()
    {
        var bundle = _bundles.KeylessMessage(Artifact);

        Assert.Null(Verify(bundle, ArtifactDigest, Keyless()).Failure);
        Assert.Equal(ReasonCodes.DigestMismatch, Verify(bundle, DigestValue.Of("tampered"u8), Keyless()).Failure?.Code);
    }

    [Fact]
    public void A_message_signature_whose_digest_was_edited_to_the_artifact_is_refused()
    {
        // The bundle claims the artifact's digest, but the signature and log entry are over another blob.
        var bundle = _bundles.KeylessMessage("another blob"u8.ToArray());
        bundle["messageSignature"]!["messageDigest"]!["digest"] = Convert.ToBase64String(SHA256.HashData(Artifact));

        var check = Verify(bundle, ArtifactDigest, Keyless());

        Assert.Equal(ReasonCodes.UntrustedSigner, check.Failure?.Code);
    }

    [Fact]
    public void A_managed_key_signature_verifies_with_that_key_only()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bundle = _bundles.KeyedMessage(Artifact, key);

        var good = Verify(bundle, ArtifactDigest, BundleVerification.KeyAuthority(VerificationKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()), _bundles.TrustRoot()));
        var bad = Verify(bundle, ArtifactDigest, BundleVerification.KeyAuthority(VerificationKey.FromSubjectPublicKeyInfo(other.ExportSubjectPublicKeyInfo()), _bundles.TrustRoot()));

        Assert.Null(good.Failure);
        Assert.Equal(_bundles.SignedAt, good.Signer!.SignedAt);
        Assert.Equal(ReasonCodes.UntrustedSigner, bad.Failure?.Code);
    }

    [Fact]
    public void A_managed_key_signature_needs_a_log_the_trust_root_names()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var noLogs = _bundles.TrustRoot() with { TransparencyLogs = [] };

        var check = Verify(_bundles.KeyedMessage(Artifact, key), ArtifactDigest,
            BundleVerification.KeyAuthority(VerificationKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()), noLogs));

        Assert.Equal(ReasonCodes.InvalidTlog, check.Failure?.Code);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{},"messageSignature":{"messageDigest":{"algorithm":"SHA2_512","digest":"AA=="},"signature":"AA=="}}""")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{},"messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"AA=="},"signature":"AA=="}}""")]
    public void An_unreadable_bundle_is_refused_with_a_reason(string json)
    {
        var check = BundleVerification.Verify(Encoding.UTF8.GetBytes(json), ArtifactDigest, Keyless());

        Assert.Equal(ReasonCodes.TamperedPayload, check.Failure?.Code);
    }

    [Fact]
    public void Read_for_an_image_the_same_bundles_stay_refused()
    {
        // Only the artifact reading accepts other predicates and blobs; an image needs a cosign signature.
        var provenance = Encoding.UTF8.GetBytes(_bundles.KeylessDsse(ArtifactDigest).ToJsonString());
        var message = Encoding.UTF8.GetBytes(_bundles.KeylessMessage(Artifact).ToJsonString());

        Assert.Contains("not a cosign signature", Bundles.SigstoreBundle.ToEvidence(provenance, "b").PayloadError);
        Assert.Contains("do not sign an image", Bundles.SigstoreBundle.ToEvidence(message, "b").PayloadError);
        Assert.Null(Bundles.SigstoreBundle.ToArtifactEvidence(provenance, "b", ArtifactDigest).PayloadError);
    }

    public void Dispose()
    {
        _fulcio.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
