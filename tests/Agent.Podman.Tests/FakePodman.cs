using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace UpdateAgent.Podman.Tests;

/// <summary>An in-memory Podman: answers requests by the first route whose path fragment matches.</summary>
internal sealed class FakePodman : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, string PathPart, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Answer)> _routes = [];

    public ConcurrentQueue<string> Requests { get; } = new();

    public FakePodman On(HttpMethod method, string pathPart, HttpStatusCode status, string body) =>
        On(method, pathPart, (_, _) => Task.FromResult(Respond(status, body)));

    public FakePodman On(HttpMethod method, string pathPart, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        _routes.Add((method, pathPart, answer));
        return this;
    }

    public static HttpResponseMessage Respond(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.RequestUri!.PathAndQuery;
        Requests.Enqueue($"{request.Method} {Uri.UnescapeDataString(target)}");
        foreach (var (method, pathPart, answer) in _routes)
        {
            if (method == request.Method && Uri.UnescapeDataString(target).Contains(pathPart, StringComparison.Ordinal))
            {
                return answer(request, cancellationToken);
            }
        }
        return Task.FromResult(Respond(HttpStatusCode.NotFound, $$"""{"message":"fake podman has no route for {{target}}","response":404}"""));
    }

    /// <summary>A client over this fake; <paramref name="connections"/> (if given) is called for each fresh connection pool.</summary>
    public PodmanClient Client(PodmanClientOptions? options = null, TimeProvider? time = null, Func<HttpMessageHandler>? connections = null) =>
        new(options ?? new PodmanClientOptions { SocketPath = "/fake/podman.sock" }, connections ?? (() => this), null, time);
}
