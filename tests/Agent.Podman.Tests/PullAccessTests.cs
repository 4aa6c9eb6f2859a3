using System.Net;
using System.Text;
using UpdateAgent.Podman.Libpod;

namespace UpdateAgent.Podman.Tests;

/// <summary>A pull carries the credentials and TLS setting it is given, in the form podman's service reads, and never prints the secret.</summary>
public sealed class PullAccessTests
{
    private const string Reference = "reg.example:5000/app@sha256:cace13756a3330a831c541fb6c071fee94587f2c9f1c4e68cb4e387bbc06b7f2";

    [Fact]
    public async Task A_pull_sends_x_registry_auth_and_tls_verify()
    {
        string? header = null;
        var podman = new FakePodman().On(HttpMethod.Post, "/libpod/images/pull", (request, _) =>
        {
            header = request.Headers.TryGetValues(RegistryAuthHeader.Name, out var values) ? values.Single() : null;
            return Task.FromResult(FakePodman.Respond(HttpStatusCode.OK, "{\"images\":[\"sha256:" + new string('a', 64) + "\"],\"id\":\"" + new string('a', 64) + "\"}\n"));
        });
        using var client = podman.Client();

        await client.PullByDigestAsync(Reference, PullAccess.For("reg.example:5000/app", new RegistryLogin("gate", "s3cret+/?"), tlsVerify: false), CancellationToken.None);

        Assert.Contains("tlsVerify=false", Assert.Single(podman.Requests), StringComparison.Ordinal);
        Assert.NotNull(header);
        // URL-safe alphabet: podman decodes with base64.URLEncoding.
        Assert.DoesNotContain('+', header);
        Assert.DoesNotContain('/', header);
        var sent = Assert.Single(RegistryAuthHeader.Decode(header)!);
        Assert.Equal(("reg.example:5000/app", "gate", "s3cret+/?"), (sent.Key, sent.Value.Username, sent.Value.Password));
    }

    [Fact]
    public async Task An_anonymous_pull_sends_no_credentials_but_still_its_tls_setting()
    {
        var podman = new FakePodman().On(HttpMethod.Post, "/libpod/images/pull", (request, _) =>
        {
            Assert.False(request.Headers.Contains(RegistryAuthHeader.Name));
            return Task.FromResult(FakePodman.Respond(HttpStatusCode.OK, "{\"id\":\"" + new string('b', 64) + "\"}\n"));
        });
        using var client = podman.Client();

        await client.PullByDigestAsync(Reference, PullAccess.Anonymous(tlsVerify: true), CancellationToken.None);

        Assert.Contains("tlsVerify=true", Assert.Single(podman.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_registries_conf_gives_several_places_each_gets_its_own_login_and_podman_keeps_their_tls_settings()
    {
        string? header = null;
        var podman = new FakePodman().On(HttpMethod.Post, "/libpod/images/pull", (request, _) =>
        {
            header = request.Headers.TryGetValues(RegistryAuthHeader.Name, out var values) ? values.Single() : null;
            return Task.FromResult(FakePodman.Respond(HttpStatusCode.OK, "{\"id\":\"" + new string('c', 64) + "\"}\n"));
        });
        using var client = podman.Client();
        var logins = new Dictionary<string, RegistryLogin>(StringComparer.Ordinal)
        {
            ["mirror.example/quay/app"] = new("mirror-user", "m1"),
            ["reg.example:5000/app"] = new("gate", "g1"),
        };

        await client.PullByDigestAsync(Reference, new PullAccess(logins, TlsVerify: null), CancellationToken.None);

        Assert.DoesNotContain("tlsVerify", Assert.Single(podman.Requests), StringComparison.Ordinal);
        var sent = RegistryAuthHeader.Decode(header!)!;
        Assert.Equal(["mirror.example/quay/app", "reg.example:5000/app"], sent.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("mirror-user", sent["mirror.example/quay/app"].Username);
    }

    [Fact]
    public void The_header_is_padded_url_safe_base64_of_a_map_of_places_to_logins()
    {
        var value = RegistryAuthHeader.Encode(PullAccess.For("r.example", new RegistryLogin("u", "p?>"), true))!;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/')));
        Assert.Equal("{\"r.example\":{\"username\":\"u\",\"password\":\"p?\\u003E\"}}", json);
        Assert.Null(RegistryAuthHeader.Decode("not base64 at all!"));
    }

    [Fact]
    public void Access_never_prints_its_password()
    {
        var text = PullAccess.For("reg.example", new RegistryLogin("gate", "s3cret"), true).ToString();
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Contains("gate", text, StringComparison.Ordinal);
    }
}
