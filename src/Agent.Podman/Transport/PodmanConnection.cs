using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;
using Microsoft.Extensions.Logging;
using UpdateAgent.Podman.Libpod;

namespace UpdateAgent.Podman.Transport;

/// <summary>
/// The one handler chain to the Podman socket and the two API clients on it: Docker.DotNet for the
/// Docker-compatible endpoints and <see cref="LibpodApi"/> for Podman's own.
/// </summary>
internal sealed class PodmanConnection : IDisposable
{
    /// <summary>Docker API level Podman 4 serves in full; newer levels would change models under us.</summary>
    private static readonly Version CompatApiVersion = new(1, 41);

    private readonly ReconnectingHandler _pool;
    private readonly HttpMessageHandler _chain;
    private readonly HttpClient _http;

    public PodmanConnection(PodmanClientOptions options, Func<HttpMessageHandler> connect, TimeProvider time, ILogger logger)
    {
        Options = options;
        _pool = new ReconnectingHandler(connect);
        _chain = new BoundedResponseHandler(options.MaxResponseBytes, _pool);
        // Our own deadlines apply per call (CallPolicy); the HttpClient ones would only race them.
        _http = new HttpClient(_chain, disposeHandler: false) { BaseAddress = DockerTransportFactory.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var clientOptions = new ClientOptions { ApiVersion = CompatApiVersion, Timeout = Timeout.InfiniteTimeSpan, Endpoint = DockerTransportFactory.BaseAddress };
        Docker = new DockerClientBuilder<HttpMessageHandler>(DockerTransportFactory.Instance, _chain, clientOptions, logger).Build();
        Libpod = new LibpodApi(_http, options);
        Policy = new CallPolicy(_pool, options.SocketPath, time, logger);
    }

    public PodmanClientOptions Options { get; }

    public IDockerClient Docker { get; }

    public LibpodApi Libpod { get; }

    public CallPolicy Policy { get; }

    public void Dispose()
    {
        Docker.Dispose();
        _http.Dispose();
        _chain.Dispose();
    }
}
