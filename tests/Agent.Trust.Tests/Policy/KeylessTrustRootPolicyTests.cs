using System.Security.Cryptography;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Policy;

public sealed class KeylessTrustRootPolicyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("keyless-policy-").FullName;
    private readonly FulcioTestAuthority _fulcio;

    public KeylessTrustRootPolicyTests() => _fulcio = new FulcioTestAuthority(_folder);

    private const string Identity = """
        issuer = "https://token.actions.githubusercontent.com"
        subject = "https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main"
        """;

    private PolicyLoadResult Load(string authority)
    {
        var path = Path.Combine(_folder, "policy.toml");
        File.WriteAllText(path, $"[authorities.release]\n{authority}\n");
        return TrustPolicyLoader.Load(path);
    }

    private string TrustedRoot() => _fulcio.TrustedRoot().Write(Path.Combine(_folder, "trusted_root.json"));

    private static PolicyError Single(PolicyLoadResult result, string key)
    {
        Assert.False(result.Succeeded);
        return Assert.Single(result.Errors, e => e.Key == key);
    }

    [Fact]
    public void A_keyless_authority_reads_everything_from_a_relative_trusted_root()
    {
        TrustedRoot();
        var result = Load(Identity + "\ntrusted_root = \"trusted_root.json\"");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var authority = result.Policy!.Authorities["release"];
        Assert.Equal(Path.Combine(_folder, "trusted_root.json"), authority.TrustRoot.SourceFile);
        Assert.Single(authority.TrustRoot.CertificateAuthorities);
        Assert.Single(authority.TrustRoot.CertificateTransparencyLogs);
        Assert.Single(authority.RekorKeys);
        Assert.True(authority.RequireSct);
        Assert.True(authority.RequireTransparencyLog);
    }

    [Fact]
    public void PEM_settings_without_a_CT_log_key_are_a_load_error_saying_how_to_fix_it()
    {
        var result = Load($"{Identity}\nfulcio_roots = \"{_fulcio.RootsPath}\"\nrekor_key = \"{_fulcio.RekorPath}\"");

        var error = Single(result, "authorities.release.ct_log_key");
        Assert.Contains("trusted_root", error.Message);
        Assert.Contains("require_sct = false", error.Message);
    }

    [Fact]
    public void PEM_settings_with_a_CT_log_key_load_with_unbounded_windows()
    {
        var result = Load(_fulcio.AuthorityToml("x").Replace("[authorities.x]", string.Empty, StringComparison.Ordinal));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var root = result.Policy!.Authorities["release"].TrustRoot;
        Assert.Equal(ValidityWindow.Unbounded, root.CertificateAuthorities.Single().ValidFor);
        Assert.Equal(Convert.ToHexStringLower(_fulcio.CtLog.LogId), root.CertificateTransparencyLogs.Single().LogIdHex);
        Assert.Null(root.SourceFile);
    }

    [Fact]
    public void Opting_out_of_SCTs_must_be_written_down()
    {
        var result = Load($"{Identity}\nfulcio_roots = \"{_fulcio.RootsPath}\"\nrekor_key = \"{_fulcio.RekorPath}\"\nrequire_sct = false");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.False(result.Policy!.Authorities["release"].RequireSct);
    }

    [Fact]
    public void A_trusted_root_and_PEM_settings_together_are_a_load_error()
    {
        TrustedRoot();
        var result = Load($"{Identity}\ntrusted_root = \"trusted_root.json\"\nfulcio_roots = \"{_fulcio.RootsPath}\"");

        Assert.Contains("not both", Single(result, "authorities.release.trusted_root").Message);
    }

    [Fact]
    public void A_malformed_trusted_root_is_a_load_error_naming_the_file_and_element()
    {
        File.WriteAllText(Path.Combine(_folder, "trusted_root.json"),
            """{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","ctlogs":[null]}""");

        var error = Single(Load(Identity + "\ntrusted_root = \"trusted_root.json\""), "authorities.release.trusted_root");

        Assert.Contains(Path.Combine(_folder, "trusted_root.json"), error.Message);
        Assert.Contains("ctlogs[0] is null", error.Message);
    }

    [Fact]
    public void A_trusted_root_without_what_keyless_needs_is_a_load_error_saying_what()
    {
        File.WriteAllText(Path.Combine(_folder, "trusted_root.json"), """{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}""");

        var error = Single(Load(Identity + "\ntrusted_root = \"trusted_root.json\""), "authorities.release.trusted_root");

        Assert.Contains("certificateAuthorities (Fulcio), tlogs (Rekor), ctlogs", error.Message);
    }

    [Fact]
    public void SCT_settings_on_a_key_authority_are_a_load_error()
    {
        using var key = ECDsa.Create();
        File.WriteAllText(Path.Combine(_folder, "ci.pub"), key.ExportSubjectPublicKeyInfoPem());

        Single(Load($"key = \"ci.pub\"\nct_log_key = \"{_fulcio.CtLog.KeyPath}\""), "authorities.release.ct_log_key");
        Single(Load("key = \"ci.pub\"\nrequire_sct = true"), "authorities.release.require_sct");
    }

    [Fact]
    public void A_key_authority_may_take_its_Rekor_log_from_a_trusted_root()
    {
        using var key = ECDsa.Create();
        File.WriteAllText(Path.Combine(_folder, "ci.pub"), key.ExportSubjectPublicKeyInfoPem());
        TrustedRoot();

        var result = Load("key = \"ci.pub\"\ntrusted_root = \"trusted_root.json\"");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.Policy!.Authorities["release"].RequireTransparencyLog);
    }

    public void Dispose()
    {
        _fulcio.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
