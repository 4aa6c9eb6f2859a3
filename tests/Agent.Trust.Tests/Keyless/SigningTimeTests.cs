using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

/// <summary>
/// The signing time a Fulcio leaf is judged at comes only from a verified SET or timestamp:
/// an inclusion proof says the body is logged, not when.
/// </summary>
public sealed class SigningTimeTests : KeylessTestBase
{
    // A leaf whose ten minutes ended 30 days ago: its key may have leaked since.
    private DateTimeOffset ExpiredLeafFrom => Now.AddDays(-30);

    [Fact]
    public async Task Expired_leaf_logged_now_is_refused_as_certificate_expired()
    {
        var digest = await BundleSignedAsync(ExpiredLeafFrom, new BundleShape { IntegratedAt = Now, WithSet = true });

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.CertificateExpired), Explain(verdict));
    }

    [Fact]
    public async Task Edited_integrated_time_with_only_a_proof_is_refused_as_missing_timestamp()
    {
        // The signer writes a time inside the leaf's window; neither the proof nor the checkpoint covers it.
        var digest = await BundleSignedAsync(ExpiredLeafFrom, new BundleShape { IntegratedAt = ExpiredLeafFrom.AddMinutes(2), WithSet = false });

        var verdict = await VerifyAsync(digest);

        Assert.Equal(VerdictOutcome.Refused, verdict.Outcome);
        Assert.True(verdict.Has(ReasonCodes.MissingTimestamp), Explain(verdict));
    }

    [Fact]
    public async Task Edited_integrated_time_under_a_SET_over_the_honest_time_is_refused_as_invalid_tlog()
    {
        var digest = await BundleSignedAsync(ExpiredLeafFrom, new BundleShape { IntegratedAt = ExpiredLeafFrom.AddMinutes(2), SetCovers = Now, WithSet = true });

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Valid_leaf_with_a_SET_is_accepted_with_or_without_a_proof(bool withProof)
    {
        var signedAt = Now.AddHours(-3);
        var digest = await BundleSignedAsync(signedAt.AddMinutes(-2), new BundleShape { IntegratedAt = signedAt, WithSet = true, WithProof = withProof });

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, Explain(verdict));
        Assert.Equal(signedAt.ToUnixTimeSeconds(), Assert.Single(verdict.Signers).SignedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Valid_leaf_with_only_a_proof_is_refused_as_missing_timestamp()
    {
        var signedAt = Now.AddHours(-3);
        var digest = await BundleSignedAsync(signedAt.AddMinutes(-2), new BundleShape { IntegratedAt = signedAt, WithSet = false });

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.MissingTimestamp), Explain(verdict));
    }

    [Fact]
    public async Task SET_dated_in_the_future_is_refused_as_invalid_tlog()
    {
        // Relative to the wall clock on purpose: "the future" is judged against the present.
        var future = DateTimeOffset.UtcNow.AddDays(30);
        var digest = await BundleSignedAsync(future.AddMinutes(-2), new BundleShape { IntegratedAt = future, WithSet = true });

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
        Assert.Contains("future", verdict.Reasons.First(r => r.Code == ReasonCodes.InvalidTlog).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Older_cosign_attestation_logged_as_intoto_is_accepted_with_its_SET()
    {
        var signedAt = Now.AddHours(-3);
        var digest = await BundleSignedAsync(signedAt.AddMinutes(-2), new BundleShape
        {
            IntegratedAt = signedAt, WithSet = true, Body = KeylessBundleFactory.IntotoV002,
        });

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, Explain(verdict));
    }

    [Fact]
    public async Task Rekor_log_outside_its_window_at_the_signing_time_is_refused()
    {
        var signedAt = Now.AddHours(-3);
        var digest = await BundleSignedAsync(signedAt.AddMinutes(-2), new BundleShape { IntegratedAt = signedAt, WithSet = true });

        // The log key was retired an hour before the entry claims to have been integrated.
        var verdict = await VerifyAsync(digest, root: r => r with
        {
            TransparencyLogs = r.TransparencyLogs.Select(l => l with { ValidFor = new ValidityWindow(null, signedAt.AddHours(-1)) }).ToList(),
        });

        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
        Assert.Contains("window", verdict.Reasons.First(r => r.Code == ReasonCodes.InvalidTlog).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rekor.test - 1", null, true)]
    [InlineData("rekor.test - 2", null, false)]
    [InlineData(null, "https://rekor.test", true)]
    [InlineData(null, "https://rekor.test/", true)]
    [InlineData(null, "https://other.test", false)]
    public async Task Checkpoint_origin_is_compared_with_the_log_when_the_log_is_known(string? origin, string? baseUrl, bool accepted)
    {
        var signedAt = Now.AddHours(-3);
        var digest = await BundleSignedAsync(signedAt.AddMinutes(-2), new BundleShape { IntegratedAt = signedAt, WithSet = true });

        var verdict = await VerifyAsync(digest, root: r => r with
        {
            TransparencyLogs = r.TransparencyLogs.Select(l => l with { Origin = origin, BaseUrl = baseUrl }).ToList(),
        });

        Assert.True(accepted ? verdict.Outcome == VerdictOutcome.Accepted : verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
    }

    [Theory]
    [InlineData("rekor.sigstore.dev - 1193050959916656506", "https://rekor.sigstore.dev", true)]
    [InlineData("rekor.sigstore.dev", "https://rekor.sigstore.dev", true)]
    [InlineData("log2025-1.rekor.sigstore.dev", "https://log2025-1.rekor.sigstore.dev", true)]
    [InlineData("rekor.sigstore.dev - x", "https://rekor.sigstore.dev", false)]
    [InlineData("evil.rekor.sigstore.dev - 1", "https://rekor.sigstore.dev", false)]
    [InlineData("rekor.sigstore.dev.evil - 1", "https://rekor.sigstore.dev", false)]
    public void Origin_matches_a_base_url_by_host_and_optional_tree_id(string origin, string baseUrl, bool matches)
    {
        var log = LogKey.FromKey(VerificationKey.FromPem(File.ReadAllText(Fulcio.RekorPath))) with { BaseUrl = baseUrl };
        Assert.Equal(matches, Checkpoint.OriginMatches(origin, log));
    }
}
