using System.Net;
using System.Text;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Registry;

/// <summary>The client reads an image where registries.conf says podman reads it: mirrors in order, then the location.</summary>
public sealed class RegistryMirrorTests
{
    private const string MirrorHost = "mirror.test";
    private static readonly ImageReference App = ImageReference.Parse($"{InMemoryRegistry.Host}/team/app:latest");
    private readonly InMemoryRegistry _primary = new();
    private readonly InMemoryRegistry _mirror = new();
    private readonly List<string> _log = [];

    private RegistryClient Client(string pullFromMirror = "all", bool primaryUp = true)
    {
        var options = new RegistryClientOptions
        {
            Sources = new RegistrySources(RegistriesConf.Parse($"""
                [[registry]]
                prefix = "{InMemoryRegistry.Host}/team"
                location = "{InMemoryRegistry.Host}/team"
                [[registry.mirror]]
                location = "{MirrorHost}/cache/team"
                insecure = true
                pull-from-mirror = "{pullFromMirror}"

                [[registry]]
                location = "blocked.test"
                blocked = true
                """, "registries.conf")),
        };
        options.InsecureRegistries.Add(InMemoryRegistry.Host);
        foreach (var host in RegistriesConf.InsecureHosts(options.Sources))
        {
            options.InsecureRegistries.Add(host);
        }
        var routes = new Dictionary<string, HttpMessageHandler> { [MirrorHost] = _mirror };
        if (primaryUp)
        {
            routes[InMemoryRegistry.Host] = _primary;
        }
        return new RegistryClient(new HttpClient(new HostRouter(routes, _log)), options);
    }

    [Fact]
    public async Task With_the_registry_unreachable_tag_manifest_and_config_come_from_the_mirror()
    {
        var digest = TestImages.Push(_mirror, "cache/team/app", new Dictionary<string, string> { ["org.opencontainers.image.source"] = "https://example.test/app" });
        var client = Client(primaryUp: false);

        Assert.Equal(digest, await client.ResolveDigestAsync(App, CancellationToken.None));
        var resolved = await client.ResolveAsync(App, CancellationToken.None);
        var config = await client.GetConfigAsync(App, resolved.Manifest, CancellationToken.None);

        Assert.Equal(digest, resolved.Digest);
        Assert.Equal("https://example.test/app", config.Source);
        Assert.All(_log, line => Assert.StartsWith($"{MirrorHost} ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mirror_without_the_image_passes_to_the_registry()
    {
        var digest = TestImages.Push(_primary, "team/app");

        var resolved = await Client().ResolveAsync(App, CancellationToken.None);

        Assert.Equal(digest, resolved.Digest);
        Assert.Equal([$"{MirrorHost} GET /v2/cache/team/app/manifests/latest", $"{InMemoryRegistry.Host} GET /v2/team/app/manifests/latest"], _log);
    }

    [Fact]
    public async Task A_digest_only_mirror_is_not_asked_for_a_tag_but_is_for_the_digest()
    {
        var digest = TestImages.Push(_primary, "team/app");
        TestImages.Push(_mirror, "cache/team/app");
        _mirror.PutManifest("cache/team/app", digest, _primary.ManifestBytes("team/app", digest), MediaTypes.OciManifest);
        var client = Client(pullFromMirror: "digest-only");

        Assert.Equal(digest, await client.ResolveDigestAsync(App, CancellationToken.None));
        Assert.NotNull(await client.TryGetManifestAsync(App, digest, CancellationToken.None));

        Assert.Equal([$"{InMemoryRegistry.Host} HEAD /v2/team/app/manifests/latest", $"{MirrorHost} GET /v2/cache/team/app/manifests/{digest}"], _log);
    }

    [Fact]
    public async Task Signatures_a_mirror_does_not_copy_are_read_from_the_registry()
    {
        var digest = TestImages.Push(_primary, "team/app");
        _mirror.PutManifest("cache/team/app", digest, _primary.ManifestBytes("team/app", digest), MediaTypes.OciManifest);
        var signature = "sha256:" + new string('5', 64);
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{signature}}","size":10}]}""");
        _primary.PutManifest("team/app", DigestValue.ReferrersTag(digest), index, MediaTypes.OciIndex);

        var referrers = await Client().GetReferrersAsync(App, digest, null, CancellationToken.None);

        Assert.Equal(signature, Assert.Single(referrers).Digest);
    }

    [Fact]
    public async Task When_every_place_fails_the_error_is_the_registrys_and_names_what_the_mirrors_said()
    {
        var ex = await Assert.ThrowsAsync<RegistryException>(() => Client(primaryUp: false).ResolveDigestAsync(App, CancellationToken.None));

        Assert.Equal(RegistryFailure.Unreachable, ex.Failure);
        Assert.Contains(MirrorHost, ex.Message, StringComparison.Ordinal);
        Assert.Contains(InMemoryRegistry.Host, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blocked_registry_is_refused_without_a_request()
    {
        var ex = await Assert.ThrowsAsync<RegistryException>(() => Client().ResolveAsync(ImageReference.Parse("blocked.test/app:1"), CancellationToken.None));

        Assert.Equal(RegistryFailure.Blocked, ex.Failure);
        Assert.False(ex.IsTransient);
        Assert.Empty(_log);
        Assert.Equal("registry-blocked", Trust.Verification.VerdictReason.From(ex).Code);
    }

    /// <summary>Sends each request to the registry of its host; a host with none is unreachable.</summary>
    private sealed class HostRouter(Dictionary<string, HttpMessageHandler> routes, List<string> log) : HttpMessageHandler
    {
        private readonly Dictionary<string, HttpMessageInvoker> _invokers = routes.ToDictionary(r => r.Key, r => new HttpMessageInvoker(r.Value, disposeHandler: false));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = request.RequestUri!.Authority;
            lock (log)
            {
                log.Add($"{host} {request.Method} {request.RequestUri.PathAndQuery}");
            }
            return _invokers.TryGetValue(host, out var invoker)
                ? invoker.SendAsync(request, cancellationToken)
                : throw new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused ({host})");
        }
    }
}
