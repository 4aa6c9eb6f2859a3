using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Signing;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

/// <summary>Keyless end to end with the trust material from a generated <c>trusted_root.json</c>.</summary>
public sealed class TrustedRootVerificationTests : IDisposable
{
    private readonly TrustHarness _h = new();
    private readonly FulcioTestAuthority _fulcio;
    private readonly DateTimeOffset _signedAt = DateTimeOffset.UtcNow.AddDays(-2);

    public TrustedRootVerificationTests() => _fulcio = new FulcioTestAuthority(_h.Folder);

    private async Task<string> SignedAsync(Func<byte[], byte[]?>? scts = null)
    {
        var digest = _h.PushImage();
        var (leaf, key) = _fulcio.IssueLeaf(_signedAt.AddMinutes(-1), scts: scts);
        using (key)
        {
            var payload = SimpleSigningPayload.Create(TrustHarness.Image.Name, digest, new Dictionary<string, string>());
            var annotations = _fulcio.SignLayer(payload, leaf, key, _signedAt);
            await new CosignSigner(_h.Registry.Client()).AppendLayerAsync(TrustHarness.Image, digest, payload, annotations, CancellationToken.None);
        }
        return digest;
    }

    private TrustPolicy Policy(DateTimeOffset? caEnd = null)
    {
        _fulcio.TrustedRoot(caEnd: caEnd).Write(Path.Combine(_h.Folder, "trusted_root.json"));
        var loaded = TrustPolicyLoader.Parse($$"""
            [authorities.release]
            issuer = "{{FulcioTestAuthority.GitHubIssuer}}"
            subject = "{{FulcioTestAuthority.Workflow}}"
            trusted_root = "trusted_root.json"
            [[image]]
            repository = "{{InMemoryRegistry.Host}}/shop/*"
            signed_by = ["release"]
            """, "policy.toml", _h.Folder);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return loaded.Policy!;
    }

    [Fact]
    public async Task A_leaf_with_a_valid_SCT_is_accepted_with_the_trust_root_alone()
    {
        var verdict = await _h.VerifyAsync(await SignedAsync(), Policy());

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
    }

    [Fact]
    public async Task A_leaf_without_SCT_is_refused_as_invalid_sct()
    {
        var verdict = await _h.VerifyAsync(await SignedAsync(scts: _ => null), Policy());

        Assert.Equal(VerdictOutcome.Refused, verdict.Outcome);
        Assert.True(verdict.Has(ReasonCodes.InvalidSct), string.Join("\n", verdict.Reasons));
    }

    [Fact]
    public async Task A_CA_window_ending_before_the_signing_time_is_refused_as_untrusted_chain()
    {
        var verdict = await _h.VerifyAsync(await SignedAsync(), Policy(caEnd: _signedAt.AddHours(-1)));

        Assert.True(verdict.Has(ReasonCodes.UntrustedChain), string.Join("\n", verdict.Reasons));
    }

    public void Dispose()
    {
        _fulcio.Dispose();
        _h.Dispose();
    }
}
