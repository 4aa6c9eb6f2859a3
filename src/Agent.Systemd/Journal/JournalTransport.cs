using System.Net.Sockets;

namespace UpdateAgent.Systemd.Journal;

/// <summary>How an entry reached journald.</summary>
internal enum JournalDelivery
{
    /// <summary>As the payload of one datagram.</summary>
    Datagram,

    /// <summary>In a sealed memfd passed with <c>SCM_RIGHTS</c>.</summary>
    Memfd,
}

/// <summary>
/// Sends serialized entries to journald's native socket: small ones as datagrams, large ones in a
/// sealed memfd. Safe to call from several threads at once (each entry is one system call).
/// </summary>
internal sealed class JournalTransport : IDisposable
{
    // sd-journal asks for this much; the kernel silently caps it at net.core.wmem_max.
    private const int WantedSendBuffer = 8 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;
    private int _maxDatagramBytes;

    /// <summary>A socket for <paramref name="socketPath"/>; nothing is sent yet, so a missing journald is found at the first entry.</summary>
    public JournalTransport(string socketPath, int maxDatagramBytes)
    {
        SocketPath = socketPath;
        _maxDatagramBytes = maxDatagramBytes;
        _endPoint = new UnixDomainSocketEndPoint(socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            // A larger buffer lets a burst of entries queue instead of blocking the caller.
            _socket.SendBufferSize = WantedSendBuffer;
        }
        catch (SocketException)
        {
            // The default buffer works too, only with more blocking under load.
        }
    }

    /// <summary>Where entries go.</summary>
    public string SocketPath { get; }

    /// <summary>Entries larger than this skip the datagram and go through a memfd; lowered when the kernel refuses a datagram as too large.</summary>
    public int MaxDatagramBytes => Volatile.Read(ref _maxDatagramBytes);

    /// <summary>Sends <paramref name="entry"/>; throws <see cref="IOException"/> or <see cref="SocketException"/> when journald cannot get it.</summary>
    public JournalDelivery Send(ReadOnlySpan<byte> entry)
    {
        if (entry.Length <= MaxDatagramBytes)
        {
            try
            {
                _socket.SendTo(entry, SocketFlags.None, _endPoint);
                return JournalDelivery.Datagram;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.NoBufferSpaceAvailable)
            {
                // The limit is what the kernel says, not what we guessed: remember it so the next
                // large entry does not fail first. ENOBUFS can be memory pressure, not size, so only
                // EMSGSIZE lowers the limit.
                if (e.SocketErrorCode == SocketError.MessageSize)
                {
                    LowerLimit(entry.Length - 1);
                }
            }
        }
        SendThroughMemfd(entry);
        return JournalDelivery.Memfd;
    }

    private void SendThroughMemfd(ReadOnlySpan<byte> entry)
    {
        using var memfd = JournalNative.CreateSealedMemfd("journal-entry", entry);
        JournalNative.SendDescriptor(_socket.SafeHandle, SocketPath, memfd);
    }

    private void LowerLimit(int limit)
    {
        int current;
        do
        {
            current = Volatile.Read(ref _maxDatagramBytes);
            if (limit >= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _maxDatagramBytes, limit, current) != current);
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
