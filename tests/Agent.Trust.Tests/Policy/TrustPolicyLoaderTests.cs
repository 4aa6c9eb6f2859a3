using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Policy;

public sealed class TrustPolicyLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("policy-").FullName;

    public TrustPolicyLoaderTests()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        File.WriteAllText(Path.Combine(_folder, "ci.pub"), key.ExportSubjectPublicKeyInfoPem());
    }

    private PolicyLoadResult Load(string toml)
    {
        var path = Path.Combine(_folder, "policy.toml");
        File.WriteAllText(path, toml);
        return TrustPolicyLoader.Load(path);
    }

    [Fact]
    public void A_complete_policy_loads_with_relative_key_paths_and_defaults()
    {
        var result = Load("""
            revoked = ["sha256:1111111111111111111111111111111111111111111111111111111111111111"]
            [registries]
            insecure = ["127.0.0.1:5000"]
            timeout_seconds = 5
            [authorities.ci]
            key = "ci.pub"
            [[image]]
            repository = "registry.test/shop/*"
            signed_by = ["ci"]
            bless = { stage = "prod" }
            source = "https://example.test/shop"
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var policy = result.Policy!;
        Assert.Equal(TimeSpan.FromSeconds(5), policy.RequestTimeout);
        Assert.Single(policy.Revoked);
        Assert.Single(policy.Authorities["ci"].KeyFingerprints);
        var image = policy.Match(ImageReference.Parse("registry.test/shop/web:latest"))!;
        Assert.True(image.AntiDowngrade);
        Assert.Equal("prod", image.BlessAnnotations["stage"]);
        Assert.Null(policy.Match(ImageReference.Parse("registry.test/other/web")));
    }

    [Fact]
    public void The_most_specific_image_policy_wins()
    {
        var result = Load("""
            [authorities.ci]
            key = "ci.pub"
            [[image]]
            repository = "registry.test/shop/*"
            signed_by = ["ci"]
            [[image]]
            repository = "registry.test/shop/web"
            signed_by = ["ci"]
            source = "https://example.test/web"
            """);

        Assert.Equal("registry.test/shop/web", result.Policy!.Match(ImageReference.Parse("registry.test/shop/web"))!.Repository);
    }

    [Fact]
    public void Every_error_is_reported_with_file_and_key_path()
    {
        var result = Load("""
            revoked = ["sha256:nothex"]
            [authorities.ci]
            key = "missing.pub"
            colour = "blue"
            [authorities.keyless]
            issuer = "https://issuer.test"
            [[image]]
            repository = "Not A Repo"
            signed_by = ["ci", "nobody"]
            blessed_by = "gate"
            source_from = "vibes"
            """);

        Assert.False(result.Succeeded);
        var keys = result.Errors.Select(e => e.Key).ToList();
        Assert.Contains("revoked", keys);
        Assert.Contains("authorities.ci.key", keys);
        Assert.Contains("authorities.ci.colour", keys);
        Assert.Contains("authorities.keyless.subject", keys);
        Assert.Contains("authorities.keyless.fulcio_roots", keys);
        Assert.Contains("authorities.keyless.rekor_key", keys);
        Assert.Contains("image[0].repository", keys);
        Assert.Contains("image[0].signed_by", keys);
        Assert.Contains("image[0].blessed_by", keys);
        Assert.Contains("image[0].source_from", keys);
        Assert.All(result.Errors, e => Assert.EndsWith("policy.toml", e.File, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_toml_and_missing_files_are_errors_not_exceptions()
    {
        Assert.Contains("not valid TOML", Assert.Single(Load("[[image]\nrepository = ").Errors).Message, StringComparison.Ordinal);
        Assert.False(TrustPolicyLoader.Load(Path.Combine(_folder, "nope.toml")).Succeeded);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
