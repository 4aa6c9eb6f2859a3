using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Trust;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>
/// Every case of the negative matrix against the real registry and real cosign signatures:
/// each is refused with a reason that names it.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class NegativeMatrixTests(TestbedFixture testbed, ITestOutputHelper output) : IDisposable
{
    private const string Source = "https://example.test/shop";
    private readonly TrustWorkspace _work = new(testbed);

    private async Task<string> PolicyAsync(string repository, string extra = "")
    {
        await _work.CosignKeyPairAsync("ci");
        await _work.CosignKeyPairAsync("gate");
        await _work.CosignKeyPairAsync("stranger");
        return _work.WriteGatedPolicy(repository, Source, extra);
    }

    private async Task<(string Repo, string Digest)> SignedImageAsync(string name, string stage = "prod", params string[] labels)
    {
        var repo = _work.NewRepository(name);
        var digest = await _work.PushImageAsync(repo, [$"org.opencontainers.image.source={Source}", .. labels]);
        await _work.CosignSignAsync(await _work.CosignKeyPairAsync("ci"), $"{repo}@{digest}");
        await _work.CosignSignAsync(await _work.CosignKeyPairAsync("gate"), $"{repo}@{digest}", $"stage={stage}");
        return (repo, digest);
    }

    private async Task<Verdict> RefusedAsync(string policy, string repo, string digest, string code, RunningImageFacts? running = null)
    {
        var verdict = await TrustWorkspace.VerifyAsync(policy, repo, digest, running);
        output.WriteLine(string.Join("\n", verdict.Reasons));
        Assert.Equal(VerdictOutcome.Refused, verdict.Outcome);
        Assert.True(verdict.Has(code), $"expected reason {code}, got: {string.Join("; ", verdict.Reasons)}");
        return verdict;
    }

    [Fact]
    public async Task The_fully_signed_and_blessed_image_is_accepted_as_the_baseline()
    {
        var (repo, digest) = await SignedImageAsync("baseline");
        var verdict = await TrustWorkspace.VerifyAsync(await PolicyAsync(repo), repo, digest);
        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
    }

    [Fact]
    public async Task Unsigned_image_is_refused_and_verify_exits_1()
    {
        var repo = _work.NewRepository("unsigned");
        var digest = await _work.PushImageAsync(repo, $"org.opencontainers.image.source={Source}");
        var policy = await PolicyAsync(repo);
        await RefusedAsync(policy, repo, digest, ReasonCodes.Unsigned);
        var (exit, stdout, _) = await TrustWorkspace.AgentAsync("verify", $"{repo}:latest", "--config", policy);
        Assert.Equal(1, exit);
        Assert.Contains("unsigned", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_signed_by_another_key_is_refused_as_untrusted_signer()
    {
        var repo = _work.NewRepository("stranger");
        var digest = await _work.PushImageAsync(repo, $"org.opencontainers.image.source={Source}");
        var policy = await PolicyAsync(repo);
        await _work.CosignSignAsync(await _work.CosignKeyPairAsync("stranger"), $"{repo}@{digest}", "stage=prod");
        await RefusedAsync(policy, repo, digest, ReasonCodes.UntrustedSigner);
    }

    [Fact]
    public async Task Signature_made_for_another_digest_is_refused_as_digest_mismatch()
    {
        var (repo, signedDigest) = await SignedImageAsync("otherdigest");
        var otherDigest = await _work.PushImageAsync(repo, $"org.opencontainers.image.source={Source}", "build=2");
        // Replay the valid signature manifest of the first image under the second image's signature tag.
        await CopySignaturesAsync(repo, signedDigest, repo, otherDigest);
        await RefusedAsync(await PolicyAsync(repo), repo, otherDigest, ReasonCodes.DigestMismatch);
    }

    [Fact]
    public async Task Signature_payload_for_another_repository_is_refused_as_wrong_repository()
    {
        var (signedRepo, digest) = await SignedImageAsync("origin");
        var target = _work.NewRepository("copy");
        // Same image bytes in another repository, with the first repository's signatures replayed.
        await CopyManifestAsync(signedRepo, target, digest);
        await CopySignaturesAsync(signedRepo, digest, target, digest);
        await RefusedAsync(await PolicyAsync(target), target, digest, ReasonCodes.WrongRepository);
    }

    [Fact]
    public async Task Tampered_payload_is_refused()
    {
        var (repo, digest) = await SignedImageAsync("tampered", stage: "dev");
        // Rewrite the gate's payload from stage=dev to stage=prod and keep its signature.
        var registry = Client();
        var image = ImageReference.Parse(repo);
        var sigTag = DigestValue.SignatureTag(digest);
        var manifest = (await registry.TryGetManifestAsync(image, sigTag, CancellationToken.None))!;
        var json = System.Text.Encoding.UTF8.GetString(manifest.Bytes.Span);
        var gateLayer = System.Text.Json.Nodes.JsonNode.Parse(json)!["layers"]![1]!;
        var payloadDigest = (string)gateLayer["digest"]!;
        var payload = (await registry.TryGetBlobAsync(image, payloadDigest, null, 1 << 20, CancellationToken.None))!;
        var altered = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(payload).Replace("\"dev\"", "\"prod\"", StringComparison.Ordinal));
        var alteredDigest = await registry.PushBlobAsync(image, altered, CancellationToken.None);
        var alteredManifest = json.Replace(payloadDigest, alteredDigest, StringComparison.Ordinal);
        await registry.PushManifestAsync(image, sigTag, System.Text.Encoding.UTF8.GetBytes(alteredManifest), MediaTypes.OciManifest, CancellationToken.None);

        var verdict = await RefusedAsync(await PolicyAsync(repo), repo, digest, ReasonCodes.NotBlessed);
        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.UntrustedSigner && r.Message.Contains("'gate'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData(null)]
    public async Task Bless_annotation_wrong_or_missing_is_refused_as_not_blessed(string? stage)
    {
        var repo = _work.NewRepository("unblessed");
        var digest = await _work.PushImageAsync(repo, $"org.opencontainers.image.source={Source}");
        await _work.CosignSignAsync(await _work.CosignKeyPairAsync("ci"), $"{repo}@{digest}");
        await _work.CosignSignAsync(await _work.CosignKeyPairAsync("gate"), $"{repo}@{digest}", stage is null ? [] : [$"stage={stage}"]);
        await RefusedAsync(await PolicyAsync(repo), repo, digest, ReasonCodes.NotBlessed);
    }

    [Fact]
    public async Task Zombie_sibling_with_another_source_label_is_refused_as_wrong_source()
    {
        var repo = _work.NewRepository("zombie");
        var digest = await _work.PushImageAsync(repo, "org.opencontainers.image.source=https://example.test/shop-archived");
        await _work.CosignSignAsync(await _work.CosignKeyPairAsync("ci"), $"{repo}@{digest}");
        await _work.CosignSignAsync(await _work.CosignKeyPairAsync("gate"), $"{repo}@{digest}", "stage=prod");
        var verdict = await RefusedAsync(await PolicyAsync(repo), repo, digest, ReasonCodes.WrongSource);
        Assert.Single(verdict.Reasons);
    }

    [Fact]
    public async Task Stale_tag_older_than_the_running_image_is_refused_as_downgrade()
    {
        var (repo, stale) = await SignedImageAsync("stale", "prod", "org.opencontainers.image.created=2026-10-01T00:00:00Z");
        // What runs states its build time the same way (label), so label is compared with label.
        var running = new RunningImageFacts("sha256:" + new string('1', 64), null, null, [])
        {
            CreatedLabel = DateTimeOffset.Parse("2026-10-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        };
        var verdict = await RefusedAsync(await PolicyAsync(repo), repo, stale, ReasonCodes.Downgrade, running);
        Assert.Single(verdict.Reasons);
    }

    [Fact]
    public async Task Revoked_digest_is_refused_and_a_replaced_digest_is_not_returned_to()
    {
        var (repo, digest) = await SignedImageAsync("revoked");
        await RefusedAsync(await PolicyAsync(repo, $"revoked = [\"{digest}\"]"), repo, digest, ReasonCodes.Revoked);
        var running = new RunningImageFacts("sha256:" + new string('2', 64), null, null, [digest]);
        await RefusedAsync(await PolicyAsync(repo), repo, digest, ReasonCodes.ReplacedDigest, running);
    }

    [Fact]
    public async Task Oversized_manifest_is_refused_as_oversized_response()
    {
        var (repo, digest) = await SignedImageAsync("oversized");
        var verdict = await TrustWorkspace.VerifyAsync(await PolicyAsync(repo), repo, digest, tune: o => o.MaxManifestBytes = 64);
        Assert.Equal(VerdictOutcome.Refused, verdict.Outcome);
        Assert.True(verdict.Has(ReasonCodes.OversizedResponse), string.Join("\n", verdict.Reasons));
    }

    private RegistryClient Client()
    {
        var options = new RegistryClientOptions();
        options.InsecureRegistries.Add(_work.Registry);
        return new RegistryClient(new HttpClient(), options);
    }

    private Task CopyManifestAsync(string fromRepo, string toRepo, string reference, string? targetReference = null) =>
        TrustWorkspace.CopyAsync(Client(), fromRepo, Client(), toRepo, reference, targetReference);

    private Task CopySignaturesAsync(string fromRepo, string fromDigest, string toRepo, string toDigest) =>
        CopyManifestAsync(fromRepo, toRepo, DigestValue.SignatureTag(fromDigest), DigestValue.SignatureTag(toDigest));

    public void Dispose() => _work.Dispose();
}
