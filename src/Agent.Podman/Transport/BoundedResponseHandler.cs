using UpdateAgent.Podman.Streams;

namespace UpdateAgent.Podman.Transport;

/// <summary>
/// Caps every response body, including those Docker.DotNet deserialises itself, so a runaway or
/// hostile answer fails with a clear error instead of exhausting memory.
/// </summary>
internal sealed class BoundedResponseHandler(long defaultLimit, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>Set on a request to allow its response a different limit (a pull's stream, for one).</summary>
    public static readonly HttpRequestOptionsKey<long> LimitOption = new("update-agent.response-limit");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var limit = request.Options.TryGetValue(LimitOption, out var requested) ? requested : defaultLimit;
        if (response.Content.Headers.ContentLength is { } declared && declared > limit)
        {
            response.Dispose();
            throw new ResponseTooLargeException($"response body of {declared} bytes is larger than the limit of {limit} bytes");
        }
        response.Content = new BoundedContent(response.Content, limit);
        return response;
    }
}
