using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>
/// A distribution registry in memory, behind an <see cref="HttpMessageHandler"/>: manifests by
/// tag and digest, blobs, monolithic uploads, no referrers API (so clients use the fallback tag).
/// <see cref="Intercept"/> lets a test answer any request itself to inject faults.
/// </summary>
internal sealed class InMemoryRegistry : HttpMessageHandler
{
    public const string Host = "registry.test";
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string MediaType)> _manifests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private int _requests;

    public Func<HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    public int Requests => _requests;

    public List<string> Log { get; } = [];

    public RegistryClient Client(Action<RegistryClientOptions>? tune = null, TimeProvider? time = null)
    {
        var options = new RegistryClientOptions();
        options.InsecureRegistries.Add(Host);
        tune?.Invoke(options);
        return new RegistryClient(new HttpClient(this), options, time);
    }

    public string PutBlob(byte[] bytes)
    {
        var digest = DigestValue.Of(bytes);
        _blobs[digest] = bytes;
        return digest;
    }

    public string PutManifest(string repository, string reference, byte[] bytes, string mediaType)
    {
        var digest = DigestValue.Of(bytes);
        _manifests[$"{repository}|{digest}"] = (bytes, mediaType);
        _manifests[$"{repository}|{reference}"] = (bytes, mediaType);
        return digest;
    }

    public byte[] ManifestBytes(string repository, string reference) => _manifests[$"{repository}|{reference}"].Bytes;

    public void Remove(string repository, string reference) => _manifests.TryRemove($"{repository}|{reference}", out _);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        lock (Log)
        {
            Log.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
        }
        if (Intercept?.Invoke(request) is { } intercepted)
        {
            return intercepted;
        }
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }
        var rest = path[4..];
        foreach (var kind in new[] { "/manifests/", "/blobs/uploads/", "/blobs/", "/referrers/" })
        {
            var at = rest.IndexOf(kind, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            var repository = rest[..at];
            var reference = rest[(at + kind.Length)..];
            return kind switch
            {
                "/manifests/" when request.Method == HttpMethod.Put => await PutManifestAsync(request, repository, reference, cancellationToken),
                "/manifests/" => Manifest(request, repository, reference),
                "/blobs/uploads/" when request.Method == HttpMethod.Post => Accepted(repository),
                "/blobs/uploads/" => await UploadAsync(request, cancellationToken),
                "/blobs/" => Blob(request, reference),
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            };
        }
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private HttpResponseMessage Manifest(HttpRequestMessage request, string repository, string reference)
    {
        if (!_manifests.TryGetValue($"{repository}|{reference}", out var manifest))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(request.Method == HttpMethod.Head ? [] : manifest.Bytes),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        response.Headers.Add("Docker-Content-Digest", DigestValue.Of(manifest.Bytes));
        return response;
    }

    private HttpResponseMessage Blob(HttpRequestMessage request, string digest)
    {
        if (!_blobs.TryGetValue(digest, out var bytes))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(request.Method == HttpMethod.Head ? [] : bytes) };
    }

    private static HttpResponseMessage Accepted(string repository)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Accepted);
        response.Headers.Location = new Uri($"/v2/{repository}/blobs/uploads/{Guid.NewGuid():N}", UriKind.Relative);
        return response;
    }

    private async Task<HttpResponseMessage> UploadAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var bytes = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        if (query["digest"] != DigestValue.Of(bytes))
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest);
        }
        PutBlob(bytes);
        return new HttpResponseMessage(HttpStatusCode.Created);
    }

    private async Task<HttpResponseMessage> PutManifestAsync(HttpRequestMessage request, string repository, string reference, CancellationToken cancellationToken)
    {
        var bytes = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        PutManifest(repository, reference, bytes, request.Content.Headers.ContentType!.MediaType!);
        return new HttpResponseMessage(HttpStatusCode.Created);
    }
}
