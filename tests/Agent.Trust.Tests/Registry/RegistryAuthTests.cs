using System.Net;
using System.Text;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Registry;

/// <summary>
/// What a registry's answers may make the client do with the user's secrets: a token realm must be
/// https (unless the registry is insecure) and may receive credentials only on the registry's own
/// host or one the user allows; a referrers next-page link must stay where the list came from.
/// </summary>
public sealed class RegistryAuthTests
{
    private const string Secure = "secure.test";
    private readonly InMemoryRegistry _registry = new();
    private readonly List<HttpRequestMessage> _tokenRequests = [];
    private static readonly ImageReference App = ImageReference.Parse($"{Secure}/team/app:latest");

    [Fact]
    public void Docker_Hub_credentials_may_go_to_its_own_token_service_and_nowhere_else()
    {
        var options = new RegistryClientOptions();
        var hub = ImageReference.Parse("docker.io/library/nginx:latest");

        TokenRealm.Check(new Uri("https://auth.docker.io/token"), hub, withCredentials: true, options);
        Assert.Throws<RegistryException>(() => TokenRealm.Check(new Uri("https://auth.docker.io/token"), ImageReference.Parse("quay.io/acme/web:latest"), withCredentials: true, options));
        Assert.Throws<RegistryException>(() => TokenRealm.Check(new Uri("https://auth.example.test/token"), hub, withCredentials: true, options));
    }

    [Fact]
    public async Task A_plain_http_realm_is_refused_for_a_tls_registry()
    {
        Challenge("http://secure.test/token");
        var client = Client(withCredentials: false);

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.TryGetManifestAsync(App, "latest", CancellationToken.None));

        Assert.Equal(RegistryFailure.Unauthorized, ex.Failure);
        Assert.Contains("is not https", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_tokenRequests);
    }

    [Fact]
    public async Task A_plain_http_realm_is_used_for_a_registry_listed_insecure()
    {
        Challenge("http://secure.test/token");
        var client = Client(withCredentials: true, tune: o => o.InsecureRegistries.Add(Secure));

        await client.TryGetManifestAsync(App, "latest", CancellationToken.None);

        Assert.Single(_tokenRequests);
    }

    [Fact]
    public async Task Credentials_are_not_sent_to_a_realm_on_another_host()
    {
        Challenge("https://collector.test/token");
        var client = Client(withCredentials: true);

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.TryGetManifestAsync(App, "latest", CancellationToken.None));

        Assert.Equal(RegistryFailure.Unauthorized, ex.Failure);
        Assert.Contains("registries.token_hosts", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_tokenRequests);
        Assert.DoesNotContain(_registry.Log, l => l.Contains("/token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Credentials_go_to_a_realm_the_user_allows()
    {
        Challenge("https://collector.test/token");
        var client = Client(withCredentials: true, tune: o => o.TokenHosts.Add("collector.test"));

        await client.TryGetManifestAsync(App, "latest", CancellationToken.None);

        Assert.Equal("Basic", Assert.Single(_tokenRequests).Headers.Authorization?.Scheme);
    }

    [Fact]
    public async Task Credentials_go_to_a_realm_on_the_registrys_own_host_on_another_port()
    {
        Challenge("https://secure.test:8443/token");
        var client = Client(withCredentials: true);

        await client.TryGetManifestAsync(App, "latest", CancellationToken.None);

        Assert.Equal("Basic", Assert.Single(_tokenRequests).Headers.Authorization?.Scheme);
    }

    [Fact]
    public async Task An_anonymous_token_may_come_from_another_https_host()
    {
        Challenge("https://auth.elsewhere.test/token");
        var client = Client(withCredentials: false);

        await client.TryGetManifestAsync(App, "latest", CancellationToken.None);

        Assert.Null(Assert.Single(_tokenRequests).Headers.Authorization);
    }

    [Theory]
    [InlineData("http://secure.test/v2/team/app/referrers/{0}?page=2")]
    [InlineData("https://other.test/v2/team/app/referrers/{0}?page=2")]
    [InlineData("https://secure.test:8443/v2/team/app/referrers/{0}?page=2")]
    public async Task A_next_page_on_another_scheme_or_host_is_refused_without_following_it(string next)
    {
        var digest = DigestValue.Of("subject"u8);
        var followed = false;
        _registry.Intercept = request =>
        {
            if (request.RequestUri!.Query.Contains("page=2", StringComparison.Ordinal))
            {
                followed = true;
            }
            var page = Page(digest);
            page.Headers.TryAddWithoutValidation("Link", $"<{string.Format(System.Globalization.CultureInfo.InvariantCulture, next, digest)}>; rel=\"next\"");
            return page;
        };
        var client = new RegistryClient(new HttpClient(_registry), new RegistryClientOptions());

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.GetReferrersAsync(App, digest, null, CancellationToken.None));

        Assert.Equal(RegistryFailure.Malformed, ex.Failure);
        Assert.Contains("not followed", ex.Message, StringComparison.Ordinal);
        Assert.False(followed);
    }

    [Fact]
    public async Task A_relative_next_page_on_the_same_registry_is_followed()
    {
        var digest = DigestValue.Of("subject"u8);
        _registry.Intercept = request =>
        {
            var page = Page(digest);
            if (!request.RequestUri!.Query.Contains("page=2", StringComparison.Ordinal))
            {
                page.Headers.TryAddWithoutValidation("Link", $"</v2/team/app/referrers/{digest}?page=2>; rel=\"next\"");
            }
            return page;
        };
        var client = new RegistryClient(new HttpClient(_registry), new RegistryClientOptions());

        var referrers = await client.GetReferrersAsync(App, digest, null, CancellationToken.None);

        Assert.Equal(2, referrers.Count);
    }

    private RegistryClient Client(bool withCredentials, Action<RegistryClientOptions>? tune = null)
    {
        var options = new RegistryClientOptions();
        if (withCredentials)
        {
            options.Credentials = AuthFile.Parse(Encoding.UTF8.GetBytes("{\"auths\":{\"" + Secure + "\":{\"auth\":\"" + Convert.ToBase64String("ci:s3cret"u8) + "\"}}}"), "auth.json");
        }
        tune?.Invoke(options);
        return new RegistryClient(new HttpClient(_registry), options);
    }

    /// <summary>The registry challenges every request without a token; the realm hands out tokens and records who asked.</summary>
    private void Challenge(string realm)
    {
        var realmUri = new Uri(realm);
        _registry.Intercept = request =>
        {
            if (request.RequestUri!.Host == realmUri.Host && request.RequestUri.AbsolutePath == "/token")
            {
                _tokenRequests.Add(request);
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"token":"t0k3n"}""", Encoding.UTF8, "application/json") };
            }
            if (request.Headers.Authorization?.ToString() != "Bearer t0k3n")
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd($"Bearer realm=\"{realm}\",service=\"{Secure}\"");
                return challenge;
            }
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        };
    }

    private static HttpResponseMessage Page(string digest) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{digest}}","size":2}]}""",
            Encoding.UTF8, MediaTypes.OciIndex),
    };
}
