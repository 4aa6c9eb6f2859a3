using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Policy;

/// <summary>
/// <c>tsa_certificates</c> beside the other trust-root settings: a PEM setting like
/// <c>fulcio_roots</c>, so it joins them and is refused next to a <c>trusted_root</c>.
/// </summary>
public sealed class TimestampAuthoritySettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tsa-settings-").FullName;
    private readonly FulcioTestAuthority _fulcio;
    private readonly TimestampTestAuthority _tsa;

    public TimestampAuthoritySettingsTests()
    {
        _fulcio = new FulcioTestAuthority(_folder);
        _tsa = new TimestampTestAuthority(_folder, _fulcio.Root.NotBefore, _fulcio.Root.NotAfter);
    }

    private PolicyLoadResult Load(string settings)
    {
        var path = Path.Combine(_folder, "policy.toml");
        File.WriteAllText(path, _fulcio.AuthorityToml("release", settings));
        return TrustPolicyLoader.Load(path);
    }

    [Fact]
    public void Timestamp_authorities_from_PEM_join_the_PEM_trust_root()
    {
        var result = Load($"tsa_certificates = \"{_tsa.ChainPath}\"");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var root = result.Policy!.Authorities["release"].TrustRoot;
        Assert.Equal(_tsa.Leaf.Thumbprint, root.TimestampAuthorities.Single().Chain[0].Thumbprint);
        Assert.Single(root.CertificateAuthorities);
    }

    [Fact]
    public void Timestamp_authorities_from_PEM_beside_a_trusted_root_are_a_load_error()
    {
        var trustedRoot = _fulcio.TrustedRoot().Write(Path.Combine(_folder, "trusted_root.json"));
        var path = Path.Combine(_folder, "policy.toml");
        File.WriteAllText(path, $"""
            [authorities.release]
            issuer = "{FulcioTestAuthority.GitHubIssuer}"
            subject = "{FulcioTestAuthority.Workflow}"
            trusted_root = "{trustedRoot}"
            tsa_certificates = "{_tsa.ChainPath}"
            """);

        var result = TrustPolicyLoader.Load(path);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Key == "authorities.release.trusted_root" && e.Message.Contains("tsa_certificates", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _tsa.Dispose();
        _fulcio.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
