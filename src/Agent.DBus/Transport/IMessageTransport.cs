namespace UpdateAgent.DBus.Transport;

/// <summary>
/// The byte stream under a connection. Sockets in production; tests pair two connections in
/// memory through the same interface.
/// </summary>
internal interface IMessageTransport : IDisposable
{
    /// <summary>Receives up to <paramref name="buffer"/>'s length; 0 means the peer closed.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
