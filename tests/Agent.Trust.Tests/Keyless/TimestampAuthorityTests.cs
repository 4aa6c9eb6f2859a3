using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

/// <summary>Signing time from an RFC 3161 timestamp authority, as Rekor v2 entries (no SET, no integratedTime) need it.</summary>
public sealed class TimestampAuthorityTests : KeylessTestBase
{
    private readonly TimestampTestAuthority _tsa;
    private readonly RekorV2TestLog _v2 = new();

    public TimestampAuthorityTests() =>
        _tsa = new TimestampTestAuthority(H.Folder, Fulcio.Root.NotBefore, Fulcio.Root.NotAfter);

    private DateTimeOffset SignedAt => Now.AddHours(-3);

    private string TsaSetting => $"tsa_certificates = \"{_tsa.ChainPath}\"";

    private Task<string> V2SignedAsync(DateTimeOffset stampedAt, string? checkpointOrigin = null, bool stampOtherBytes = false) =>
        BundleSignedAsync(SignedAt.AddMinutes(-2), new BundleShape
        {
            V2Log = _v2,
            CheckpointOrigin = checkpointOrigin,
            Timestamps = [signature => _tsa.Stamp(stampOtherBytes ? [.. signature, 0] : signature, stampedAt)],
        });

    private SigstoreTrustRoot WithV2(SigstoreTrustRoot root) => root with { TransparencyLogs = [.. root.TransparencyLogs, _v2.AsLogKey()] };

    [Fact]
    public async Task Rekor_v2_entry_with_a_timestamp_from_the_configured_authority_is_accepted_at_the_stamped_time()
    {
        var digest = await V2SignedAsync(SignedAt);

        var verdict = await VerifyAsync(digest, TsaSetting, WithV2);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, Explain(verdict));
        Assert.Equal(SignedAt.ToUnixTimeSeconds(), Assert.Single(verdict.Signers).SignedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Rekor_v2_entry_without_a_configured_timestamp_authority_has_no_signing_time()
    {
        var digest = await V2SignedAsync(SignedAt);

        var verdict = await VerifyAsync(digest, root: WithV2);

        Assert.True(verdict.Has(ReasonCodes.MissingTimestamp), Explain(verdict));
    }

    [Fact]
    public async Task Timestamp_outside_the_leaf_life_is_refused_as_certificate_expired()
    {
        var digest = await V2SignedAsync(SignedAt.AddHours(1));

        var verdict = await VerifyAsync(digest, TsaSetting, WithV2);

        Assert.True(verdict.Has(ReasonCodes.CertificateExpired), Explain(verdict));
    }

    [Fact]
    public async Task Timestamp_over_other_bytes_is_refused_as_invalid_timestamp()
    {
        var digest = await V2SignedAsync(SignedAt, stampOtherBytes: true);

        var verdict = await VerifyAsync(digest, TsaSetting, WithV2);

        Assert.True(verdict.Has(ReasonCodes.InvalidTimestamp), Explain(verdict));
    }

    [Fact]
    public async Task Timestamp_authority_outside_its_window_is_refused_as_invalid_timestamp()
    {
        var digest = await V2SignedAsync(SignedAt);

        // The authority's key was retired a day before the time it stamped.
        var verdict = await VerifyAsync(digest, TsaSetting, root => WithV2(root) with
        {
            TimestampAuthorities = root.TimestampAuthorities.Select(a => a with { ValidFor = new ValidityWindow(null, SignedAt.AddDays(-1)) }).ToList(),
        });

        Assert.True(verdict.Has(ReasonCodes.InvalidTimestamp), Explain(verdict));
        Assert.Contains("not at", verdict.Reasons.First(r => r.Code == ReasonCodes.InvalidTimestamp).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamp_signed_by_an_unconfigured_authority_is_refused()
    {
        using var stranger = new TimestampTestAuthority(H.Folder, Fulcio.Root.NotBefore, Fulcio.Root.NotAfter, "stranger-tsa");
        var digest = await BundleSignedAsync(SignedAt.AddMinutes(-2), new BundleShape
        {
            V2Log = _v2,
            Timestamps = [signature => stranger.Stamp(signature, SignedAt)],
        });

        var verdict = await VerifyAsync(digest, TsaSetting, WithV2);

        Assert.True(verdict.Has(ReasonCodes.InvalidTimestamp), Explain(verdict));
    }

    [Fact]
    public async Task Rekor_v2_checkpoint_from_another_origin_is_refused_as_invalid_tlog()
    {
        var digest = await V2SignedAsync(SignedAt, checkpointOrigin: "log2025-9.rekor.test");

        var verdict = await VerifyAsync(digest, TsaSetting, WithV2);

        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
        Assert.Contains("log2025-9.rekor.test", verdict.Reasons.First(r => r.Code == ReasonCodes.InvalidTlog).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rekor_v1_SET_and_a_timestamp_must_both_fall_inside_the_leaf_life()
    {
        var digest = await BundleSignedAsync(SignedAt.AddMinutes(-2), new BundleShape
        {
            IntegratedAt = SignedAt,
            WithSet = true,
            Timestamps = [signature => _tsa.Stamp(signature, SignedAt.AddDays(2))],
        });

        var verdict = await VerifyAsync(digest, TsaSetting);

        Assert.True(verdict.Has(ReasonCodes.CertificateExpired), Explain(verdict));
    }

    [Fact]
    public void Tsa_certificates_load_as_one_authority_with_its_chain_leaf_first()
    {
        var policy = H.Policy(extraAuthorities: Fulcio.AuthorityToml("release", TsaSetting));

        var authority = Assert.Single(policy.Authorities["release"].TrustRoot.TimestampAuthorities);

        Assert.Equal([_tsa.Leaf.Thumbprint, _tsa.Root.Thumbprint], authority.Chain.Select(c => c.Thumbprint));
        Assert.Equal(ValidityWindow.Unbounded, authority.ValidFor);
    }

    [Fact]
    public void Tsa_certificates_without_a_certificate_is_a_policy_error_naming_the_setting()
    {
        var empty = Path.Combine(H.Folder, "empty.pem");
        File.WriteAllText(empty, "no certificate here\n");
        var path = Path.Combine(H.Folder, "tsa-policy.toml");
        File.WriteAllText(path, Fulcio.AuthorityToml("release", $"tsa_certificates = \"{empty}\""));

        var result = TrustPolicyLoader.Load(path);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Key == "authorities.release.tsa_certificates");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tsa.Dispose();
        }
        base.Dispose(disposing);
    }
}
