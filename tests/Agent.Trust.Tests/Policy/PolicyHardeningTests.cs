using System.Security.Cryptography;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Policy;

/// <summary>Policy rules that used to load or match when they should not.</summary>
public sealed class PolicyHardeningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("policy-hardening-").FullName;

    private PolicyLoadResult Load(string toml)
    {
        var path = Path.Combine(_folder, "policy.toml");
        File.WriteAllText(path, toml);
        return TrustPolicyLoader.Load(path);
    }

    private string WriteKey(string name, string pem)
    {
        File.WriteAllText(Path.Combine(_folder, name), pem);
        return name;
    }

    [Fact]
    public void Two_rules_for_one_repository_are_a_policy_error_not_a_matter_of_file_order()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WriteKey("ci.pub", key.ExportSubjectPublicKeyInfoPem());
        var result = Load("""
            [authorities.ci]
            key = "ci.pub"
            [[image]]
            repository = "registry.test/shop/web"
            signed_by = ["ci"]
            [[image]]
            repository = "registry.test/shop/web"
            signed_by = ["ci"]
            source = "https://example.test/web"
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("image[1].repository", error.Key);
        Assert.Contains("merge the two", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Patterns_match_the_whole_value_and_not_before_a_trailing_newline()
    {
        const string Pattern = @"https://github\.com/acme/shop/\.github/workflows/release\.yml@refs/heads/main";
        const string Subject = "https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main";

        Assert.True(AuthorityVerifier.Matches(Subject, null, Pattern));
        Assert.False(AuthorityVerifier.Matches(Subject + "\n", null, Pattern));
        Assert.False(AuthorityVerifier.Matches(Subject + "-archived", null, Pattern));
        Assert.False(AuthorityVerifier.Matches("x" + Subject, null, Pattern));
    }

    [Fact]
    public void Weak_keys_are_refused_when_the_policy_loads()
    {
        using var rsa = RSA.Create(1024);
        using var p224 = ECDsa.Create(ECCurve.CreateFromFriendlyName("secp224r1"));
        WriteKey("rsa.pub", rsa.ExportSubjectPublicKeyInfoPem());
        WriteKey("p224.pub", p224.ExportSubjectPublicKeyInfoPem());

        var result = Load("""
            [authorities.old]
            key = "rsa.pub"
            [authorities.small]
            key = "p224.pub"
            """);

        Assert.Contains(result.Errors, e => e.Key == "authorities.old.key" && e.Message.Contains("RSA key of 1024 bits is too weak", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Key == "authorities.small.key" && e.Message.Contains("224-bit curve is too weak", StringComparison.Ordinal));
        using var strong = RSA.Create(2048);
        Assert.Equal("rsa-2048", VerificationKey.FromPem(strong.ExportSubjectPublicKeyInfoPem()).Algorithm);
    }

    [Fact]
    public void The_policy_lists_every_file_it_names_so_their_owner_and_mode_are_checked()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WriteKey("ci.pub", key.ExportSubjectPublicKeyInfoPem());
        var result = Load("""
            [registries]
            auth_file = "auth.json"
            [authorities.ci]
            key = "ci.pub"
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal([Path.Combine(_folder, "auth.json"), Path.Combine(_folder, "ci.pub")], result.Policy!.Files.Order(StringComparer.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
