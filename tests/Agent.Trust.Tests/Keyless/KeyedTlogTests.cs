using System.Security.Cryptography;
using System.Text;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

/// <summary>A key authority that requires the log needs inclusion, not a time: a proof alone will do, but only a SET's time is reported.</summary>
public sealed class KeyedTlogTests : KeylessTestBase
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private async Task<Verdict> SignAndVerifyAsync(BundleShape shape)
    {
        var digest = H.PushImage();
        await H.SignAsync("gate", digest, "stage=prod");
        var bundle = KeylessBundleFactory.KeyedBundle(Fulcio, _key, digest, shape);
        KeylessBundleFactory.PushReferrer(H, digest, Encoding.UTF8.GetBytes(bundle.ToJsonString()));
        var keyPath = Path.Combine(H.Folder, "logged.pub");
        File.WriteAllText(keyPath, _key.ExportSubjectPublicKeyInfoPem());
        var policy = H.Policy(extraAuthorities: $"""
            [authorities.logged]
            key = "{keyPath}"
            rekor_key = "{Fulcio.RekorPath}"
            """);
        return await H.VerifyAsync(digest, new TrustPolicy
        {
            Authorities = policy.Authorities,
            Images = [new ImagePolicy { Repository = policy.Images[0].Repository, SignedBy = ["logged"] }],
        });
    }

    [Fact]
    public async Task Proof_only_entry_is_accepted_without_a_signing_time()
    {
        // The entry claims a time; nothing authenticates it, so none is reported.
        var verdict = await SignAndVerifyAsync(new BundleShape { IntegratedAt = Now.AddDays(-400) });

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, Explain(verdict));
        Assert.Null(Assert.Single(verdict.Signers).SignedAt);
    }

    [Fact]
    public async Task Entry_with_a_SET_reports_its_time()
    {
        var signedAt = Now.AddHours(-3);

        var verdict = await SignAndVerifyAsync(new BundleShape { IntegratedAt = signedAt, WithSet = true });

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, Explain(verdict));
        Assert.Equal(signedAt.ToUnixTimeSeconds(), Assert.Single(verdict.Signers).SignedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Entry_without_SET_or_proof_is_refused_as_invalid_tlog()
    {
        var verdict = await SignAndVerifyAsync(new BundleShape { IntegratedAt = Now, WithProof = false });

        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
        }
        base.Dispose(disposing);
    }
}
