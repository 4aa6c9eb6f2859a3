using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Registry;

public sealed class RegistryClientTests
{
    private readonly InMemoryRegistry _registry = new();
    private static readonly ImageReference App = ImageReference.Parse($"{InMemoryRegistry.Host}/team/app:latest");

    [Fact]
    public async Task Resolves_a_tag_to_the_digest_of_the_exact_bytes_and_reads_the_config_labels()
    {
        var digest = TestImages.Push(_registry, "team/app", new Dictionary<string, string> { ["org.opencontainers.image.source"] = "https://example.test/app" });
        var client = _registry.Client();

        var resolved = await client.ResolveAsync(App, CancellationToken.None);
        var config = await client.GetConfigAsync(App, resolved.Manifest, CancellationToken.None);

        Assert.Equal(digest, resolved.Digest);
        Assert.False(resolved.IsIndex);
        Assert.Equal("https://example.test/app", config.Source);
        Assert.Equal(2, client.RequestCount); // one manifest, one config blob
    }

    [Fact]
    public async Task An_index_resolves_to_the_host_platform_and_keeps_both_digests()
    {
        var (index, children) = TestImages.PushIndex(_registry, "team/app", null, "arm64", "amd64", "s390x");
        var client = _registry.Client(o => o.Platform = new ImagePlatform("linux", "amd64", null));

        var resolved = await client.ResolveAsync(App, CancellationToken.None);

        Assert.Equal(index, resolved.Digest);
        Assert.Equal(children["amd64"], resolved.PlatformDigest);
        Assert.True(resolved.IsIndex);
    }

    [Fact]
    public async Task Head_resolves_a_tag_without_downloading_it()
    {
        var digest = TestImages.Push(_registry, "team/app");
        var client = _registry.Client();

        Assert.Equal(digest, await client.ResolveDigestAsync(App, CancellationToken.None));
        Assert.Equal(["HEAD /v2/team/app/manifests/latest"], _registry.Log);
    }

    [Fact]
    public async Task A_tag_resolved_without_a_digest_header_is_hashed_once_and_its_manifest_kept_for_the_verification()
    {
        var digest = TestImages.Push(_registry, "team/app");
        _registry.Intercept = request => request.Method == HttpMethod.Head ? new HttpResponseMessage(HttpStatusCode.OK) : null;
        var client = _registry.Client();

        Assert.Equal(digest, await client.ResolveDigestAsync(App, CancellationToken.None));
        Assert.NotNull(await client.TryGetManifestAsync(App, digest, CancellationToken.None));

        Assert.Equal(["HEAD /v2/team/app/manifests/latest", "GET /v2/team/app/manifests/latest"], _registry.Log);
    }

    [Fact]
    public async Task A_manifest_whose_bytes_do_not_hash_to_the_requested_digest_is_rejected()
    {
        var digest = TestImages.Push(_registry, "team/app");
        _registry.Intercept = request => request.RequestUri!.AbsolutePath.EndsWith(digest, StringComparison.Ordinal)
            ? Json("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}""")
            : null;

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _registry.Client().TryGetManifestAsync(App, digest, CancellationToken.None));

        Assert.Equal(RegistryFailure.DigestMismatch, ex.Failure);
    }

    [Fact]
    public async Task An_oversized_manifest_is_rejected_before_it_is_read_whole()
    {
        _registry.Intercept = _ => Json("{\"schemaVersion\":2,\"pad\":\"" + new string('x', 10_000) + "\"}", announceLength: false);

        var ex = await Assert.ThrowsAsync<RegistryException>(() =>
            _registry.Client(o => o.MaxManifestBytes = 4096).TryGetManifestAsync(App, "latest", CancellationToken.None));

        Assert.Equal(RegistryFailure.TooLarge, ex.Failure);
    }

    [Fact]
    public async Task A_body_shorter_than_its_announced_length_is_truncated()
    {
        _registry.Intercept = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ShortContent(Encoding.UTF8.GetBytes("{\"schemaVersion\":2"), 500) };

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _registry.Client().TryGetManifestAsync(App, "latest", CancellationToken.None));

        Assert.Equal(RegistryFailure.Truncated, ex.Failure);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, RegistryFailure.ServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable, RegistryFailure.ServerError)]
    [InlineData(HttpStatusCode.TooManyRequests, RegistryFailure.ServerError)]
    [InlineData(HttpStatusCode.Forbidden, RegistryFailure.Unauthorized)]
    public async Task Server_failures_are_transient(HttpStatusCode status, RegistryFailure expected)
    {
        _registry.Intercept = _ => new HttpResponseMessage(status);

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _registry.Client().ResolveAsync(App, CancellationToken.None));

        Assert.Equal(expected, ex.Failure);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task A_reset_connection_is_named_in_the_reason_not_only_the_generic_send_failure()
    {
        _registry.Intercept = _ => throw new HttpRequestException("An error occurred while sending the request.",
            new IOException("Unable to read data from the transport connection: Connection reset by peer.",
                new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset)));

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _registry.Client().ResolveAsync(App, CancellationToken.None));

        Assert.Equal(RegistryFailure.Unreachable, ex.Failure);
        Assert.Contains("Connection reset by peer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("An error occurred while sending the request", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_times_out_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        var handler = new HangingHandler(time, TimeSpan.FromSeconds(31));
        var client = new RegistryClient(new HttpClient(handler), Insecure(), time);

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.ResolveAsync(App, CancellationToken.None));

        Assert.Equal(RegistryFailure.Timeout, ex.Failure);
    }

    [Fact]
    public async Task Bearer_challenge_fetches_a_token_with_the_configured_credentials_and_caches_it()
    {
        TestImages.Push(_registry, "team/app");
        string? tokenAuthorization = null;
        var tokenRequests = 0;
        _registry.Intercept = request =>
        {
            if (request.RequestUri!.Host == "auth.test")
            {
                tokenRequests++;
                tokenAuthorization = request.Headers.Authorization?.ToString();
                Assert.Contains("scope=repository%3Ateam%2Fapp%3Apull", request.RequestUri.Query, StringComparison.Ordinal);
                return Json("""{"token":"t0k3n","expires_in":300}""");
            }
            if (request.Headers.Authorization?.ToString() != "Bearer t0k3n")
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://auth.test/token\",service=\"registry.test\",scope=\"repository:team/app:pull\"");
                return challenge;
            }
            return null;
        };
        var credentials = AuthFile.Parse(Encoding.UTF8.GetBytes("{\"auths\":{\"registry.test/team\":{\"auth\":\"" + Convert.ToBase64String("ci:s3cret"u8) + "\"}}}"), "auth.json");
        var client = _registry.Client(o =>
        {
            o.Credentials = credentials;
            o.TokenHosts.Add("auth.test");
        });

        await client.ResolveAsync(App, CancellationToken.None);
        await client.ResolveAsync(App, CancellationToken.None);

        Assert.Equal("Basic " + Convert.ToBase64String("ci:s3cret"u8), tokenAuthorization);
        Assert.Equal(1, tokenRequests);
    }

    [Fact]
    public async Task Basic_challenge_without_credentials_is_an_authorization_failure()
    {
        _registry.Intercept = _ =>
        {
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"registry\"");
            return challenge;
        };

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _registry.Client().ResolveAsync(App, CancellationToken.None));

        Assert.Equal(RegistryFailure.Unauthorized, ex.Failure);
    }

    [Fact]
    public async Task Referrers_fall_back_to_the_digest_tag_when_the_api_is_missing()
    {
        var digest = TestImages.Push(_registry, "team/app");
        var index = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{digest}}","size":1,"artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json"},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{digest}}","size":1,"artifactType":"application/spdx+json"}]}""";
        _registry.PutManifest("team/app", DigestValue.ReferrersTag(digest), Encoding.UTF8.GetBytes(index), MediaTypes.OciIndex);

        var referrers = await _registry.Client().GetReferrersAsync(App, digest, MediaTypes.SigstoreBundleV03, CancellationToken.None);

        Assert.Single(referrers);
        Assert.Contains(_registry.Log, l => l.StartsWith("GET /v2/team/app/referrers/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plain_http_is_used_only_for_registries_listed_as_insecure()
    {
        Uri? seen = null;
        _registry.Intercept = request => { seen = request.RequestUri; return new HttpResponseMessage(HttpStatusCode.NotFound); };
        var client = new RegistryClient(new HttpClient(_registry), new RegistryClientOptions());

        await client.TryGetManifestAsync(App, "latest", CancellationToken.None);

        Assert.Equal("https", seen!.Scheme);
    }

    private static RegistryClientOptions Insecure()
    {
        var options = new RegistryClientOptions();
        options.InsecureRegistries.Add(InMemoryRegistry.Host);
        return options;
    }

    private static HttpResponseMessage Json(string json, bool announceLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        HttpContent content = announceLength ? new ByteArrayContent(bytes) : new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>Announces more bytes than it sends, like a connection cut mid-body.</summary>
    private sealed class ShortContent(byte[] bytes, long announced) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = announced;
            return true;
        }

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new MemoryStream(bytes));
    }

    /// <summary>Never answers; moves the fake clock past the deadline so the client's own timer fires.</summary>
    private sealed class HangingHandler(FakeTimeProvider time, TimeSpan advance) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            time.Advance(advance);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
