using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Trust;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>
/// A registry that fails, hangs, or serves altered bytes (a proxy in front of the real registry):
/// integrity failures refuse, outages "could not decide" (exit 3), never "accepted".
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class RegistryFaultTests(TestbedFixture testbed, ITestOutputHelper output) : IDisposable
{
    private readonly TrustWorkspace _work = new(testbed);

    private async Task<(string Repo, string Digest, string Policy)> SignedAsync(string name, string registry)
    {
        var repo = _work.NewRepository(name);
        var digest = await _work.PushImageAsync(repo);
        var proxied = registry + repo[_work.Registry.Length..];
        // Signed for the name it is pulled by through the proxy.
        await _work.CosignAsync("sign", "--key", await _work.CosignKeyPairAsync("ci"), "--tlog-upload=false", "--allow-insecure-registry", "-y",
            "--sign-container-identity", proxied, $"{repo}@{digest}");
        var policy = _work.WritePolicy(name, $"[authorities.ci]\nkey = \"ci.pub\"\n[[image]]\nrepository = \"{proxied}\"\nsigned_by = [\"ci\"]\n",
            alsoInsecure: registry, timeoutSeconds: 2);
        return (proxied, digest, policy);
    }

    [Theory]
    [InlineData(FaultProxy.Fault.ServerError, 3, ReasonCodes.RegistryError)]
    [InlineData(FaultProxy.Fault.Hang, 3, ReasonCodes.Timeout)]
    [InlineData(FaultProxy.Fault.AlterManifest, 1, ReasonCodes.ManifestDigestMismatch)]
    [InlineData(FaultProxy.Fault.TruncateManifest, 1, ReasonCodes.TruncatedResponse)]
    public async Task Registry_faults_refuse_or_leave_undecided_but_never_accept(FaultProxy.Fault fault, int exitCode, string code)
    {
        await using var proxy = FaultProxy.Start(_work.Registry);
        var (repo, digest, policy) = await SignedAsync(fault.ToString().ToLowerInvariant(), proxy.Address);
        var clean = await TrustWorkspace.VerifyAsync(policy, repo, digest);
        Assert.True(clean.Outcome == VerdictOutcome.Accepted, "through the proxy without faults: " + string.Join("\n", clean.Reasons));

        proxy.Inject(fault);
        var (exit, stdout, stderr) = await TrustWorkspace.AgentAsync("verify", $"{repo}@{digest}", "--config", policy, "--json");
        output.WriteLine(stdout + stderr);

        Assert.Equal(exitCode, exit);
        Assert.Contains($"\"code\": \"{code}\"", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"outcome\": \"accepted\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_registry_could_not_decide()
    {
        var repo = _work.NewRepository("gone");
        var port = FaultProxy.FreePort();
        var policy = _work.WritePolicy("gone", $"[authorities.ci]\nkey = \"ci.pub\"\n[[image]]\nrepository = \"127.0.0.1:{port}/trust/*\"\nsigned_by = [\"ci\"]\n",
            alsoInsecure: $"127.0.0.1:{port}");
        await _work.CosignKeyPairAsync("ci");

        var (exit, stdout, _) = await TrustWorkspace.AgentAsync("verify", $"127.0.0.1:{port}/trust/{repo.Split('/')[^1]}:latest", "--config", policy);
        output.WriteLine(stdout);

        Assert.Equal(3, exit);
        Assert.Contains("registry-error", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Dispose();
}
