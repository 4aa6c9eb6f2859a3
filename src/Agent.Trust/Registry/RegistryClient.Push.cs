using System.Net;
using System.Net.Http.Headers;

namespace UpdateAgent.Trust.Registry;

// Writing: what blessing an image needs (a payload blob, a config blob, a signature manifest).
public sealed partial class RegistryClient
{
    private const string PushActions = "pull,push";

    /// <inheritdoc />
    public Task<string> PushBlobAsync(ImageReference repository, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var digest = DigestValue.Of(content.Span);
        var what = $"{repository.Name}: upload of {digest}";
        return GuardAsync(what, async token =>
        {
            var blobUri = RepositoryUri(repository, "blobs/" + digest);
            using (var head = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, blobUri), repository, PushActions, token).ConfigureAwait(false))
            {
                if (head.IsSuccessStatusCode)
                {
                    return digest;
                }
            }
            Uri location;
            using (var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, RepositoryUri(repository, "blobs/uploads/")), repository, PushActions, token).ConfigureAwait(false))
            {
                if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is null)
                {
                    throw StatusFailure(start, what);
                }
                location = start.Headers.Location.IsAbsoluteUri ? start.Headers.Location : new Uri(ApiBase(repository), start.Headers.Location);
            }
            var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
            var put = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest));
            using var done = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, put)
            {
                Content = Octets(content, "application/octet-stream"),
            }, repository, PushActions, token).ConfigureAwait(false);
            if (done.StatusCode != HttpStatusCode.Created)
            {
                throw StatusFailure(done, what);
            }
            return digest;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> PushManifestAsync(ImageReference repository, string reference, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var digest = DigestValue.Of(content.Span);
        var what = $"{repository.Name}:{reference}: manifest upload";
        return GuardAsync(what, async token =>
        {
            var uri = RepositoryUri(repository, "manifests/" + reference);
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, uri)
            {
                Content = Octets(content, mediaType),
            }, repository, PushActions, token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw StatusFailure(response, what);
            }
            return digest;
        }, cancellationToken);
    }

    private static ByteArrayContent Octets(ReadOnlyMemory<byte> content, string mediaType)
    {
        var body = new ByteArrayContent(content.ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return body;
    }
}
