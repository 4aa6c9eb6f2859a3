using System.Net.Sockets;

namespace UpdateAgent.Podman.Transport;

/// <summary>Builds the HTTP handler that speaks HTTP/1.1 over the Podman Unix socket.</summary>
internal static class UnixSocketHandler
{
    /// <summary>
    /// Podman's socket-activated service exits after about 5 s idle; keeping pooled connections for
    /// less than that means a request rarely meets a connection the service already closed.
    /// </summary>
    private static readonly TimeSpan IdleConnectionLifetime = TimeSpan.FromSeconds(2);

    public static SocketsHttpHandler Create(string socketPath) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = IdleConnectionLifetime,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
