using System.Security.Cryptography;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Tests.Signatures;

/// <summary>
/// A checkpoint's origin against a log from trusted_root.json, whose origin is taken from the
/// log's URL: Rekor v2 writes the bare host, Rekor v1 the host and its shard's tree id.
/// </summary>
public sealed class CheckpointOriginTests
{
    private static LogKey FromTrustRoot(string baseUrl)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return LogKey.FromKey(VerificationKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo())) with
        {
            Origin = TrustedRootFile.OriginOf(baseUrl),
            BaseUrl = baseUrl,
        };
    }

    [Theory]
    [InlineData("rekor.sigstore.dev", true)]
    [InlineData("rekor.sigstore.dev - 1193050959916656506", true)]
    [InlineData("rekor.sigstore.dev - 2605736670972794746", true)]
    [InlineData("rekor.sigstore.dev - ", false)]
    [InlineData("rekor.sigstore.dev - 12a", false)]
    [InlineData("rekor.sigstore.dev.evil - 1", false)]
    [InlineData("log2025-1.rekor.sigstore.dev", false)]
    public void A_v1_log_from_a_trust_root_accepts_its_tree_ids_and_nothing_else(string origin, bool matches) =>
        Assert.Equal(matches, Checkpoint.OriginMatches(origin, FromTrustRoot("https://rekor.sigstore.dev")));

    [Fact]
    public void A_v2_log_keeps_its_bare_origin() =>
        Assert.False(Checkpoint.OriginMatches("rekor.sigstore.dev", FromTrustRoot("https://log2025-1.rekor.sigstore.dev")));
}
