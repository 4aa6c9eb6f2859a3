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

        await client.PullByDigestAsync(Reference, new PullAccess("gate", "s3cret+/?", "reg.example:5000", TlsVerify: false), CancellationToken.None);

        Assert.Contains("tlsVerify=false", Assert.Single(podman.Requests), StringComparison.Ordinal);
        Assert.NotNull(header);
        // URL-safe alphabet: podman decodes with base64.URLEncoding.
        Assert.DoesNotContain('+', header);
        Assert.DoesNotContain('/', header);
        var sent = RegistryAuthHeader.Decode(header);
        Assert.Equal(("gate", "s3cret+/?", "reg.example:5000"), (sent?.Username, sent?.Password, sent?.ServerAddress));
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

        await client.PullByDigestAsync(Reference, new PullAccess(null, null, "reg.example:5000", TlsVerify: true), CancellationToken.None);

        Assert.Contains("tlsVerify=true", Assert.Single(podman.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_is_padded_url_safe_base64_of_the_auth_config_json()
    {
        var value = RegistryAuthHeader.Encode(new PullAccess("u", "p?>", "r.example", true))!;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/')));
        Assert.Equal("{\"username\":\"u\",\"password\":\"p?\\u003E\",\"serveraddress\":\"r.example\"}", json);
        Assert.Null(RegistryAuthHeader.Decode("not base64 at all!"));
    }

    [Fact]
    public void Access_never_prints_its_password()
    {
        var text = new PullAccess("gate", "s3cret", "reg.example", true).ToString();
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Contains("gate", text, StringComparison.Ordinal);
    }
}
