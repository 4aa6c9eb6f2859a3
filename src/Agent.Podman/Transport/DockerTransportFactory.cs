using Docker.DotNet.Handler.Abstractions;
using Microsoft.Extensions.Logging;

namespace UpdateAgent.Podman.Transport;

/// <summary>
/// Hands Docker.DotNet our own handler chain (Unix socket, replaceable pool, bounded bodies) instead of
/// its Unix transport, so compat and libpod calls share one connection policy and tests can fake both.
/// </summary>
internal sealed class DockerTransportFactory : IDockerHandlerFactory<HttpMessageHandler>
{
    /// <summary>Host name in request URIs; podman ignores it on a Unix socket.</summary>
    public static readonly Uri BaseAddress = new("http://podman/");

    public static DockerTransportFactory Instance { get; } = new();

    public ResolvedTransport CreateHandler(HttpMessageHandler transportOptions, ResolvedClientOptions clientOptions, ILogger logger) =>
        new(transportOptions, BaseAddress);

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        throw new NotSupportedException("the Podman transport needs its handler; use the generic overload");

    // Attaching to a container's streams is never needed: exec output is read as a plain response body.
    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) =>
        throw new NotSupportedException("stream hijacking is not used by the Podman client");
}
