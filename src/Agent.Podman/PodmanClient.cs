using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UpdateAgent.Podman.Discovery;
using UpdateAgent.Podman.Operations;
using UpdateAgent.Podman.Transport;

namespace UpdateAgent.Podman;

/// <summary>
/// The Podman API client, over the service's Unix socket.
/// <para>
/// Docker-compatible calls (container and image inspect, tag, exec create/inspect) go through
/// Docker.DotNet.Enhanced 4.3.3, which is trim- and Native-AOT-compatible: it marks itself
/// <c>IsAotCompatible</c>, serialises with source-generated System.Text.Json contexts, and a
/// <c>PublishAot</c> build using it produces no trim or AOT warnings and works against Podman 4.3.
/// Podman's own endpoints that the compat API lacks (list with pod membership, run a health check
/// now, image exists, pull by digest with the libpod stream, untag) and the exec output (Docker.DotNet
/// would hijack the connection) go through a small HttpClient with source-generated JSON.
/// </para>
/// <para>
/// Both share one handler chain instead of Docker.DotNet.Enhanced.Unix's own transport: a
/// <see cref="SocketsHttpHandler"/> whose <c>ConnectCallback</c> opens the Unix socket, a pool that is
/// replaced after a refused or closed connection (the socket-activated service exits when idle), and a
/// cap on every response body. One chain means one connection policy, and tests can put a fake
/// <see cref="HttpMessageHandler"/> under both.
/// </para>
/// </summary>
public sealed class PodmanClient : IPodmanClient, IDisposable
{
    private readonly PodmanConnection _connection;
    private readonly UnitDiscovery _discovery;
    private readonly ImageOperations _images;
    private readonly ContainerOperations _containers;
    private readonly ILogger _logger;

    /// <summary>A client for the socket at <paramref name="socketPath"/>, with default limits.</summary>
    /// <param name="socketPath">Path of the Podman API socket.</param>
    public PodmanClient(string socketPath)
        : this(new PodmanClientOptions { SocketPath = socketPath })
    {
    }

    /// <summary>A client configured by <paramref name="options"/> (default: <see cref="PodmanClientOptions.FromEnvironment"/>).</summary>
    /// <param name="options">Socket path, timeouts and limits.</param>
    /// <param name="logger">Where reconnects, pulls and discovery problems are logged.</param>
    /// <param name="timeProvider">The clock for call deadlines.</param>
    public PodmanClient(PodmanClientOptions? options = null, ILogger<PodmanClient>? logger = null, TimeProvider? timeProvider = null)
        : this(options ??= PodmanClientOptions.FromEnvironment(), () => UnixSocketHandler.Create(options.SocketPath), logger, timeProvider)
    {
    }

    /// <summary>A client over connections made by <paramref name="connect"/> (tests pass a fake handler).</summary>
    internal PodmanClient(PodmanClientOptions options, Func<HttpMessageHandler> connect, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? NullLogger.Instance;
        _connection = new PodmanConnection(options, connect, timeProvider ?? TimeProvider.System, _logger);
        _discovery = new UnitDiscovery(_connection);
        _images = new ImageOperations(_connection, _logger);
        _containers = new ContainerOperations(_connection);
    }

    /// <inheritdoc />
    public async Task<DiscoveryResult> DiscoverUnitsAsync(CancellationToken cancellationToken)
    {
        var result = await _discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        foreach (var problem in result.Problems)
        {
            PodmanLog.DiscoveryProblem(_logger, problem.Subject, problem.UnitName, problem.Message);
        }
        return result;
    }

    /// <inheritdoc />
    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) => _images.ExistsAsync(image, cancellationToken);

    /// <inheritdoc />
    public Task<ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken) => _images.InspectAsync(image, cancellationToken);

    /// <inheritdoc />
    public Task<PulledImage> PullByDigestAsync(string digestReference, CancellationToken cancellationToken) =>
        _images.PullByDigestAsync(digestReference, null, cancellationToken);

    /// <inheritdoc />
    public Task<PulledImage> PullByDigestAsync(string digestReference, PullAccess access, CancellationToken cancellationToken) =>
        _images.PullByDigestAsync(digestReference, access, cancellationToken);

    /// <inheritdoc />
    public Task TagImageAsync(string image, string targetTag, CancellationToken cancellationToken) =>
        _images.TagAsync(image, targetTag, cancellationToken);

    /// <inheritdoc />
    public Task UntagImageAsync(string image, string targetTag, CancellationToken cancellationToken) =>
        _images.UntagAsync(image, targetTag, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveImageAsync(string imageId, CancellationToken cancellationToken) =>
        _images.RemoveAsync(imageId, cancellationToken);

    /// <inheritdoc />
    public Task<LocalTag?> ReadLocalTagAsync(string tag, CancellationToken cancellationToken) => _images.ReadLocalTagAsync(tag, cancellationToken);

    /// <inheritdoc />
    public Task<ContainerState> InspectContainerAsync(string container, CancellationToken cancellationToken) =>
        _containers.InspectAsync(container, cancellationToken);

    /// <inheritdoc />
    public Task<HealthCheckRun> RunHealthCheckAsync(string container, CancellationToken cancellationToken) =>
        _containers.RunHealthCheckAsync(container, cancellationToken);

    /// <inheritdoc />
    public Task<ExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        _containers.ExecAsync(container, command, cancellationToken);

    /// <summary>Closes the connections to podman.</summary>
    public void Dispose() => _connection.Dispose();
}
