using System.Net.Sockets;

namespace UpdateAgent.DBus.Transport;

/// <summary>A Unix stream socket as a transport.</summary>
internal sealed class SocketTransport(Socket socket) : IMessageTransport
{
    /// <summary>Connects to the first address of the list that accepts.</summary>
    public static async Task<SocketTransport> ConnectAsync(IReadOnlyList<DBusAddress> addresses, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var address in addresses)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                // An abstract socket name is a leading NUL and the name, with no trailing NUL.
                var endpoint = new UnixDomainSocketEndPoint(address.Path ?? "\0" + address.AbstractName);
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                return new SocketTransport(socket);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failures.Add($"{address}: {e.Message}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new DBusConnectionClosedException($"could not connect to D-Bus: {string.Join("; ", failures)}");
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    public void Dispose()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer: nothing left to shut down.
        }
        socket.Dispose();
    }
}
