using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Signing;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

public sealed class KeylessVerificationTests : IDisposable
{
    private readonly TrustHarness _h = new();
    private readonly FulcioTestAuthority _fulcio;
    private readonly DateTimeOffset _signedAt = DateTimeOffset.UtcNow.AddDays(-2);

    public KeylessVerificationTests() => _fulcio = new FulcioTestAuthority(_h.Folder);

    private async Task<string> KeylessSignedAsync(Func<DateTimeOffset, (System.Security.Cryptography.X509Certificates.X509Certificate2, System.Security.Cryptography.ECDsa)>? issue = null,
        DateTimeOffset? integratedAt = null, bool breakSet = false, FulcioTestAuthority? by = null)
    {
        var digest = _h.PushImage();
        await _h.SignAsync("gate", digest, "stage=prod");
        var signer = by ?? _fulcio;
        var (leaf, key) = (issue ?? (at => signer.IssueLeaf(at)))(_signedAt.AddMinutes(-1));
        using (key)
        {
            var payload = SimpleSigningPayload.Create(TrustHarness.Image.Name, digest, new Dictionary<string, string>());
            var annotations = signer.SignLayer(payload, leaf, key, integratedAt ?? _signedAt, breakSet);
            await new CosignSigner(_h.Registry.Client()).AppendLayerAsync(TrustHarness.Image, digest, payload, annotations, CancellationToken.None);
        }
        return digest;
    }

    private Task<Verdict> VerifyAsync(string digest, string imageExtra = "") =>
        _h.VerifyAsync(digest, PolicyWithRelease(imageExtra));

    private UpdateAgent.Trust.Policy.TrustPolicy PolicyWithRelease(string imageExtra = "")
    {
        var policy = _h.Policy(extraAuthorities: _fulcio.AuthorityToml("release"), extraImage: imageExtra);
        // signed_by names "ci" in the harness policy; keyless tests require the release workflow instead.
        var image = policy.Images[0];
        return new UpdateAgent.Trust.Policy.TrustPolicy
        {
            Authorities = policy.Authorities,
            Images = [new UpdateAgent.Trust.Policy.ImagePolicy
            {
                Repository = image.Repository, SignedBy = ["release"], BlessedBy = image.BlessedBy, BlessAnnotations = image.BlessAnnotations,
                Source = image.Source, SourceFrom = image.SourceFrom, AntiDowngrade = image.AntiDowngrade,
            }],
        };
    }

    [Fact]
    public async Task Fulcio_leaf_chained_to_the_configured_root_with_a_valid_SET_is_accepted()
    {
        var digest = await KeylessSignedAsync();

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
        var signer = verdict.Signers.Single(s => s.Authority == "release");
        Assert.Equal(FulcioTestAuthority.Workflow, signer.Identity);
        Assert.Equal(FulcioTestAuthority.GitHubIssuer, signer.Issuer);
        Assert.Equal(_signedAt.ToUnixTimeSeconds(), signer.SignedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Wrong_issuer_is_refused()
    {
        var digest = await KeylessSignedAsync(at => _fulcio.IssueLeaf(at, issuer: "https://accounts.example.test"));
        Assert.True((await VerifyAsync(digest)).Has(ReasonCodes.WrongIssuer));
    }

    [Fact]
    public async Task Wrong_workflow_ref_is_refused_as_wrong_identity()
    {
        var digest = await KeylessSignedAsync(at => _fulcio.IssueLeaf(at, workflowRef: "refs/heads/archived-cron"));
        var verdict = await VerifyAsync(digest);
        Assert.True(verdict.Has(ReasonCodes.WrongIdentity), string.Join("\n", verdict.Reasons));
        Assert.Contains("refs/heads/archived-cron", verdict.Reasons.First(r => r.Code == ReasonCodes.WrongIdentity).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subject_of_another_repository_is_refused_as_wrong_identity()
    {
        var digest = await KeylessSignedAsync(at => _fulcio.IssueLeaf(at, subject: "https://github.com/acme/shop-archived/.github/workflows/release.yml@refs/heads/main"));
        Assert.True((await VerifyAsync(digest)).Has(ReasonCodes.WrongIdentity));
    }

    [Fact]
    public async Task Leaf_expired_at_the_logged_signing_time_is_refused()
    {
        var digest = await KeylessSignedAsync(integratedAt: _signedAt.AddMinutes(30));
        Assert.True((await VerifyAsync(digest)).Has(ReasonCodes.CertificateExpired));
    }

    [Fact]
    public async Task Broken_signed_entry_timestamp_is_refused_as_invalid_tlog()
    {
        var digest = await KeylessSignedAsync(breakSet: true);
        Assert.True((await VerifyAsync(digest)).Has(ReasonCodes.InvalidTlog));
    }

    [Fact]
    public async Task Leaf_from_another_CA_is_refused_as_untrusted_chain()
    {
        using var rogue = new FulcioTestAuthority(_h.Folder, "rogue");
        // The rogue log key is not configured either; use the real log key so only the chain differs.
        var digest = await KeylessSignedAsync(at => rogue.IssueLeaf(at), by: null);
        var verdict = await VerifyAsync(digest);
        Assert.True(verdict.Has(ReasonCodes.UntrustedChain), string.Join("\n", verdict.Reasons));
    }

    [Fact]
    public async Task Source_can_be_required_from_the_signing_certificate()
    {
        var digest = await KeylessSignedAsync();
        var verdict = await VerifyAsync(digest, "source_from = \"certificate\"");
        Assert.True(verdict.Outcome == VerdictOutcome.Refused && verdict.Has(ReasonCodes.WrongSource), string.Join("\n", verdict.Reasons));

        var policy = PolicyWithRelease();
        var fromCertificate = new UpdateAgent.Trust.Policy.TrustPolicy
        {
            Authorities = policy.Authorities,
            Images = [new UpdateAgent.Trust.Policy.ImagePolicy
            {
                Repository = policy.Images[0].Repository, SignedBy = ["release"], Source = "https://github.com/acme/shop",
                SourceFrom = UpdateAgent.Trust.Policy.SourceOrigin.Certificate,
            }],
        };
        Assert.Equal(VerdictOutcome.Accepted, (await _h.VerifyAsync(digest, fromCertificate)).Outcome);
    }

    public void Dispose()
    {
        _fulcio.Dispose();
        _h.Dispose();
    }
}
