using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Policy;

/// <summary><c>[registries]</c>: the verification budget and the hosts allowed to receive credentials, checked at load.</summary>
public sealed class RegistrySettingsPolicyTests
{
    private static PolicyLoadResult Parse(string registries) =>
        TrustPolicyLoader.Parse("[registries]\n" + registries, "policy.toml", "/");

    [Fact]
    public void The_budget_defaults_to_16_MiB_200_requests_and_60_seconds()
    {
        var result = Parse("");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(new VerificationLimits(16 * 1024 * 1024, 200, TimeSpan.FromSeconds(60)), result.Policy!.Limits);
        Assert.Empty(result.Policy.TokenHosts);
    }

    [Fact]
    public void The_budget_and_token_hosts_load_from_the_registries_table()
    {
        var result = Parse("""
            verify_max_bytes = 1048576
            verify_max_requests = 50
            verify_max_seconds = 20
            token_hosts = ["auth.docker.io", "10.0.0.7"]
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(new VerificationLimits(1024 * 1024, 50, TimeSpan.FromSeconds(20)), result.Policy!.Limits);
        Assert.Equal(["auth.docker.io", "10.0.0.7"], result.Policy.TokenHosts);
        var options = TrustServices.RegistryOptions(result.Policy, _ => null);
        Assert.Contains("auth.docker.io", options.TokenHosts);
    }

    [Fact]
    public void Certs_dirs_default_to_podmans_and_relative_ones_resolve_against_the_policy()
    {
        Assert.Equal(["/etc/containers/certs.d", "/etc/docker/certs.d"], Parse("").Policy!.CertsDirectories);
        var result = TrustPolicyLoader.Parse("[registries]\ncerts_dirs = [\"certs.d\", \"/srv/certs.d\"]\n", "policy.toml", "/etc/update-agent");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["/etc/update-agent/certs.d", "/srv/certs.d"], result.Policy!.CertsDirectories);
    }

    [Theory]
    [InlineData("verify_max_bytes = 0", "registries.verify_max_bytes")]
    [InlineData("verify_max_bytes = -1", "registries.verify_max_bytes")]
    [InlineData("verify_max_bytes = \"16M\"", "registries.verify_max_bytes")]
    [InlineData("verify_max_requests = 100000", "registries.verify_max_requests")]
    [InlineData("verify_max_seconds = 0", "registries.verify_max_seconds")]
    [InlineData("verify_max_seconds = 1.5", "registries.verify_max_seconds")]
    [InlineData("token_hosts = [\"https://auth.docker.io\"]", "registries.token_hosts")]
    [InlineData("token_hosts = [\"auth.docker.io:443\"]", "registries.token_hosts")]
    [InlineData("token_hosts = [1]", "registries.token_hosts")]
    public void Bad_values_are_load_errors_naming_the_key(string line, string key)
    {
        var result = Parse(line);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.ToString().Contains(key, StringComparison.Ordinal));
    }
}
