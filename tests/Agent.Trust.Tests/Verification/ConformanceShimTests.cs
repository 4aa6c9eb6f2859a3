using System.Security.Cryptography;
using UpdateAgent.ConformanceShim;
using UpdateAgent.Testing;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Verification;

/// <summary>
/// The sigstore-conformance client (<c>verify-bundle</c>) over generated material: arguments,
/// the file and digest forms of the artifact, exit codes and the reason it prints.
/// </summary>
public sealed class ConformanceShimTests : IDisposable
{
    private static readonly byte[] Artifact = "what was released\n"u8.ToArray();

    private readonly string _folder = Directory.CreateTempSubdirectory("conformance-shim-").FullName;
    private readonly FulcioTestAuthority _fulcio;
    private readonly ArtifactBundles _bundles;
    private readonly string _artifactPath;
    private readonly string _rootPath;

    public ConformanceShimTests()
    {
        _fulcio = new FulcioTestAuthority(_folder);
        _bundles = new ArtifactBundles(_fulcio);
        _artifactPath = Path.Combine(_folder, "a.txt");
        File.WriteAllBytes(_artifactPath, Artifact);
        _rootPath = _bundles.TrustedRoot().Write(Path.Combine(_folder, "trusted_root.json"));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ShimCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string[] Keyless(string bundle, string artifact, string identity = FulcioTestAuthority.Workflow, string issuer = FulcioTestAuthority.GitHubIssuer) =>
        ["verify-bundle", "--bundle", bundle, "--certificate-identity", identity, "--certificate-oidc-issuer", issuer, "--trusted-root", _rootPath, artifact];

    [Fact]
    public void A_DSSE_bundle_verifies_for_the_file_and_for_its_digest()
    {
        var bundle = Write("dsse.json", _bundles.KeylessDsse(DigestValue.Of(Artifact)).ToJsonString());

        var byFile = Run(Keyless(bundle, _artifactPath));
        var byDigest = Run(Keyless(bundle, DigestValue.Of(Artifact)));

        Assert.Equal((ShimCommand.Verified, ""), (byFile.Code, byFile.Error));
        Assert.Equal((ShimCommand.Verified, ""), (byDigest.Code, byDigest.Error));
        Assert.Contains(FulcioTestAuthority.Workflow, byFile.Output);
    }

    [Theory]
    [InlineData("identity", ReasonCodes.WrongIdentity)]
    [InlineData("issuer", ReasonCodes.WrongIssuer)]
    [InlineData("digest", ReasonCodes.DigestMismatch)]
    public void A_mismatch_exits_non_zero_with_the_reason(string wrong, string code)
    {
        var bundle = Write("dsse.json", _bundles.KeylessDsse(DigestValue.Of(Artifact)).ToJsonString());
        var args = Keyless(bundle, wrong == "digest" ? DigestValue.Of("tampered"u8) : _artifactPath,
            identity: wrong == "identity" ? "https://github.com/acme/other/.github/workflows/release.yml@refs/heads/main" : FulcioTestAuthority.Workflow,
            issuer: wrong == "issuer" ? "https://accounts.google.com" : FulcioTestAuthority.GitHubIssuer);

        var result = Run(args);

        Assert.Equal(ShimCommand.Refused, result.Code);
        Assert.StartsWith(code + ":", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_managed_key_bundle_verifies_with_its_key_and_not_another()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bundle = Write("keyed.json", _bundles.KeyedMessage(Artifact, key).ToJsonString());
        var right = Write("key.pub", key.ExportSubjectPublicKeyInfoPem());
        var wrong = Write("other.pub", other.ExportSubjectPublicKeyInfoPem());

        var good = Run("verify-bundle", "--bundle", bundle, "--key", right, "--trusted-root", _rootPath, _artifactPath);
        var bad = Run("verify-bundle", "--bundle", bundle, "--key", wrong, "--trusted-root", _rootPath, _artifactPath);

        Assert.Equal(ShimCommand.Verified, good.Code);
        Assert.Equal(ShimCommand.Refused, bad.Code);
        Assert.StartsWith(ReasonCodes.UntrustedSigner + ":", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_digest_shaped_name_of_an_existing_file_is_read_as_a_file()
    {
        var digestName = DigestValue.Of("the name, not the content"u8);
        var cwdFile = Path.Combine(_folder, digestName);
        File.WriteAllBytes(cwdFile, Artifact);

        Assert.Equal(DigestValue.Of(Artifact), ShimCommand.ArtifactDigest(cwdFile));
        Assert.Equal(digestName, ShimCommand.ArtifactDigest(digestName));
        Assert.Equal(digestName, ShimCommand.ArtifactDigest(digestName.ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("sign-bundle")]
    [InlineData("verify-bundle", "--bundle", "b.json", "a.txt")]
    [InlineData("verify-bundle", "--bundle", "b.json", "--key", "k.pub", "--certificate-identity", "x", "a.txt")]
    [InlineData("verify-bundle", "--bundle", "b.json", "--key", "k.pub")]
    [InlineData("verify-bundle", "--bundle", "b.json", "--key", "k.pub", "--wat", "a.txt")]
    [InlineData("verify-bundle", "--bundle", "b.json", "--bundle", "c.json", "--key", "k.pub", "a.txt")]
    public void A_malformed_request_is_a_usage_error(params string[] args)
    {
        var result = Run(args);

        Assert.Equal(ShimCommand.UsageError, result.Code);
        Assert.StartsWith("usage: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_trust_root_it_cannot_serve_the_request()
    {
        Assert.Null(Environment.GetEnvironmentVariable(ShimCommand.DefaultTrustedRootVariable));

        var result = Run("verify-bundle", "--bundle", "b.json", "--key", "k.pub", _artifactPath);

        Assert.Equal(ShimCommand.UsageError, result.Code);
        Assert.Contains(ShimCommand.DefaultTrustedRootVariable, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_are_refused_not_thrown()
    {
        var result = Run(Keyless(Path.Combine(_folder, "absent.json"), _artifactPath));

        Assert.Equal(ShimCommand.Refused, result.Code);
        Assert.StartsWith("cannot verify: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_trust_root_is_refused()
    {
        var bundle = Write("dsse.json", _bundles.KeylessDsse(DigestValue.Of(Artifact)).ToJsonString());
        File.WriteAllText(_rootPath, "{\"mediaType\": 7}");

        var result = Run(Keyless(bundle, _artifactPath));

        Assert.Equal(ShimCommand.Refused, result.Code);
        Assert.StartsWith("cannot verify: " + _rootPath, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_executable_verifies_as_a_process_and_exits_non_zero_on_a_refusal()
    {
        var shim = typeof(ShimCommand).Assembly.Location;
        var bundle = Write("dsse.json", _bundles.KeylessDsse(DigestValue.Of(Artifact)).ToJsonString());

        // Without --trusted-root the root comes from the environment (the shim has no TUF client).
        var good = await ProcessRunner.RunAsync("dotnet", [shim, .. Keyless(bundle, DigestValue.Of(Artifact)).Where(a => a != "--trusted-root" && a != _rootPath)],
            environment: new Dictionary<string, string> { [ShimCommand.DefaultTrustedRootVariable] = _rootPath });
        var bad = await ProcessRunner.RunAsync("dotnet", [shim, .. Keyless(bundle, DigestValue.Of("tampered"u8))]);

        Assert.Equal(ShimCommand.Verified, good.EnsureSuccess("the conformance shim").ExitCode);
        Assert.Equal(ShimCommand.Refused, bad.ExitCode);
        Assert.StartsWith(ReasonCodes.DigestMismatch + ":", bad.StandardError, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _fulcio.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
