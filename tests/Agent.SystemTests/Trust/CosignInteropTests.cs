using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Trust;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>What the real cosign writes we verify; what <c>update-agent bless</c> writes the real cosign accepts.</summary>
[Collection(TestbedCollection.Name)]
public sealed class CosignInteropTests(TestbedFixture testbed, ITestOutputHelper output) : IDisposable
{
    private readonly TrustWorkspace _work = new(testbed);

    [Fact]
    public async Task Cosign_keyed_signature_without_annotations_is_accepted_by_verify()
    {
        var repo = _work.NewRepository("plain");
        var digest = await _work.PushImageAsync(repo);
        var key = await _work.CosignKeyPairAsync("ci");
        await _work.CosignSignAsync(key, $"{repo}@{digest}");
        var policy = _work.WritePolicy("plain", $"[authorities.ci]\nkey = \"ci.pub\"\n\n[[image]]\nrepository = \"{repo}\"\nsigned_by = [\"ci\"]\n");

        var (exit, stdout, stderr) = await TrustWorkspace.AgentAsync("verify", $"{repo}:latest", "--config", policy);
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        Assert.Contains(": accepted", stdout, StringComparison.Ordinal);
        Assert.Contains("signer  ci", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosign_annotations_bless_the_image_and_are_reported_as_signed_json()
    {
        var repo = _work.NewRepository("blessed");
        var digest = await _work.PushImageAsync(repo, "org.opencontainers.image.source=https://example.test/app");
        var ci = await _work.CosignKeyPairAsync("ci");
        var gate = await _work.CosignKeyPairAsync("gate");
        await _work.CosignSignAsync(ci, $"{repo}@{digest}");
        await _work.CosignSignAsync(gate, $"{repo}@{digest}", "stage=prod", "ticket=REL-7");
        var policy = _work.WriteGatedPolicy(repo, "https://example.test/app");

        var (exit, stdout, _) = await TrustWorkspace.AgentAsync("verify", $"{repo}:latest", "--config", policy, "--json");
        output.WriteLine(stdout);

        Assert.Equal(0, exit);
        Assert.Contains("\"outcome\": \"accepted\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"stage\": \"prod\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"ticket\": \"REL-7\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"authority\": \"gate\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosign_bundle_v03_attached_through_the_referrers_fallback_is_verified()
    {
        var repo = _work.NewRepository("bundle");
        var digest = await _work.PushImageAsync(repo);
        var key = await _work.CosignKeyPairAsync("ci");
        var predicate = Path.Combine(_work.Folder, "empty-predicate.json");
        await File.WriteAllTextAsync(predicate, "{}");
        // cosign 2.5 writes bundles only from `attest --new-bundle-format`; with the cosign-sign predicate
        // type it is the same DSSE statement cosign 3 writes for `sign`.
        await _work.CosignAsync("attest", "--key", key, "--tlog-upload=false", "--allow-insecure-registry", "-y", "--new-bundle-format",
            "--type", "https://sigstore.dev/cosign/sign/v1", "--predicate", predicate, $"{repo}@{digest}");
        var policy = _work.WritePolicy("bundle", $"[authorities.ci]\nkey = \"ci.pub\"\n\n[[image]]\nrepository = \"{repo}\"\nsigned_by = [\"ci\"]\n");

        var verdict = await TrustWorkspace.VerifyAsync(policy, repo, digest);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
        Assert.StartsWith("bundle sha256:", Assert.Single(verdict.Signers).Origin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosign_oci11_referrer_signature_is_verified_with_its_annotations()
    {
        var repo = _work.NewRepository("oci11");
        var digest = await _work.PushImageAsync(repo, "org.opencontainers.image.source=https://example.test/app");
        var ci = await _work.CosignKeyPairAsync("ci");
        var gate = await _work.CosignKeyPairAsync("gate");
        // cosign 2's experimental OCI 1.1 mode: the simple-signing manifest is attached as a referrer
        // (through the fallback tag here: the registry has no referrers API), no .sig tag.
        foreach (var (key, annotations) in new[] { (ci, Array.Empty<string>()), (gate, new[] { "-a", "stage=prod" }) })
        {
            var result = await UpdateAgent.Testing.ProcessRunner.RunAsync("cosign",
                ["sign", "--key", key, "--tlog-upload=false", "--allow-insecure-registry", "-y", "--registry-referrers-mode=oci-1-1", .. annotations, $"{repo}@{digest}"],
                TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["COSIGN_PASSWORD"] = string.Empty, ["COSIGN_EXPERIMENTAL"] = "1" });
            result.EnsureSuccess("cosign sign --registry-referrers-mode=oci-1-1");
        }
        var policy = _work.WriteGatedPolicy(repo, "https://example.test/app");

        var verdict = await TrustWorkspace.VerifyAsync(policy, repo, digest);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
        Assert.All(verdict.Signers, s => Assert.StartsWith("referrer sha256:", s.Origin, StringComparison.Ordinal));
        Assert.Equal("prod", verdict.SignedAnnotations["stage"]);
    }

    [Fact]
    public async Task Bless_writes_a_signature_that_cosign_verify_accepts_with_its_annotations()
    {
        var repo = _work.NewRepository("bless");
        var digest = await _work.PushImageAsync(repo);
        var gate = await _work.CosignKeyPairAsync("gate");

        var (exit, stdout, stderr) = await TrustWorkspace.AgentAsync("bless", $"{repo}@{digest}", "--key", gate, "-a", "stage=prod", "--allow-insecure-registry");
        output.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);

        var cosign = await _work.CosignAsync("verify", "--key", Path.Combine(_work.Folder, "gate.pub"), "--insecure-ignore-tlog",
            "--allow-insecure-registry", "-a", "stage=prod", $"{repo}@{digest}");
        output.WriteLine(cosign);
        Assert.Contains("\"stage\":\"prod\"", cosign, StringComparison.Ordinal);
        var wrong = await _work.CosignRawAsync("verify", "--key", Path.Combine(_work.Folder, "gate.pub"), "--insecure-ignore-tlog",
            "--allow-insecure-registry", "-a", "stage=dev", $"{repo}@{digest}");
        Assert.NotEqual(0, wrong.ExitCode);
    }

    [Fact]
    public async Task Bless_appends_to_cosign_signatures_and_both_verify_with_cosign_and_with_us()
    {
        var repo = _work.NewRepository("append");
        var digest = await _work.PushImageAsync(repo);
        var ci = await _work.CosignKeyPairAsync("ci");
        var gate = await _work.CosignKeyPairAsync("gate");
        await _work.CosignSignAsync(ci, $"{repo}@{digest}");

        var (exit, _, stderr) = await TrustWorkspace.AgentAsync("bless", $"{repo}@{digest}", "--key", gate, "-a", "stage=prod", "--allow-insecure-registry");
        Assert.True(exit == 0, stderr);

        await _work.CosignAsync("verify", "--key", Path.Combine(_work.Folder, "ci.pub"), "--insecure-ignore-tlog", "--allow-insecure-registry", $"{repo}@{digest}");
        await _work.CosignAsync("verify", "--key", Path.Combine(_work.Folder, "gate.pub"), "--insecure-ignore-tlog", "--allow-insecure-registry", "-a", "stage=prod", $"{repo}@{digest}");
        var policy = _work.WriteGatedPolicy(repo);
        var verdict = await TrustWorkspace.VerifyAsync(policy, repo, digest);
        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
        Assert.Equal(["ci", "gate"], verdict.Signers.Select(s => s.Authority).Order());
    }

    [Fact]
    public async Task Usage_and_configuration_errors_exit_2_naming_the_problem()
    {
        var policy = _work.WritePolicy("broken", "[authorities.ci]\nkey = \"ci.pub\"\n[[image]]\nrepository = \"r.test/a\"\nsigned_by = [\"gate\"]\n");

        var badPolicy = await TrustWorkspace.AgentAsync("verify", $"{_work.Registry}/trust/x:latest", "--config", policy);
        var badImage = await TrustWorkspace.AgentAsync("verify", "Not/An:Image:ref", "--config", policy);
        var badBless = await TrustWorkspace.AgentAsync("bless", $"{_work.Registry}/trust/x:latest", "--key", "/nonexistent.key");

        Assert.Equal(2, badPolicy.Exit);
        Assert.Contains("image[0].signed_by: no authority is named 'gate'", badPolicy.Error, StringComparison.Ordinal);
        Assert.Contains("authorities.ci.key", badPolicy.Error, StringComparison.Ordinal);
        Assert.Equal(2, badImage.Exit);
        Assert.Equal(2, badBless.Exit);
        Assert.Contains("digest", badBless.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Dispose();
}
