using System.Threading.Channels;
using UpdateAgent.DBus.Transport;

namespace UpdateAgent.DBus.Tests;

/// <summary>Two ends of an in-memory byte stream, so a connection can be tested against a scripted peer.</summary>
internal sealed class InMemoryTransport : IMessageTransport
{
    private readonly Channel<byte[]> _incoming;
    private readonly Channel<byte[]> _outgoing;
    private byte[] _current = [];
    private int _offset;

    private InMemoryTransport(Channel<byte[]> incoming, Channel<byte[]> outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
    }

    public static (InMemoryTransport Client, InMemoryTransport Server) CreatePair()
    {
        var toServer = Channel.CreateUnbounded<byte[]>();
        var toClient = Channel.CreateUnbounded<byte[]>();
        return (new InMemoryTransport(toClient, toServer), new InMemoryTransport(toServer, toClient));
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (_offset == _current.Length)
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
            if (_incoming.Reader.TryRead(out var next))
            {
                _current = next;
                _offset = 0;
            }
        }
        var count = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!_outgoing.Writer.TryWrite(data.ToArray()))
        {
            throw new IOException("the other end is closed");
        }
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _outgoing.Writer.TryComplete();
        _incoming.Writer.TryComplete();
    }
}
