using System.Collections.Concurrent;
using System.Threading.Channels;
using UpdateAgent.DBus.Protocol;
using UpdateAgent.DBus.Transport;

namespace UpdateAgent.DBus;

/// <summary>
/// A client connection to a D-Bus message bus (or a peer). One reader loop receives and routes
/// every message: replies by serial to their callers, signals to matching subscriptions. One
/// writer loop sends everything queued on a channel. When the connection ends, for whatever
/// reason, it closes exactly once: every pending call fails with
/// <see cref="DBusConnectionClosedException"/> naming the call and the reason, and
/// <see cref="Closed"/> completes. Nothing waits forever: every call has a timeout.
/// </summary>
public sealed partial class DBusConnection : IAsyncDisposable
{
    /// <summary>What a call waits for a reply when the caller names no timeout (sd-bus uses the same).</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(25);

    /// <summary>Largest message accepted from the peer; bigger ones end the connection.</summary>
    public const int DefaultMaxIncomingMessageLength = 32 * 1024 * 1024;

    private readonly IMessageTransport _transport;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<uint, PendingCall> _pending = new();
    private readonly CancellationTokenSource _stopLoops = new();
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _maxIncomingMessageLength;
    private int _lastSerial;
    private int _isClosed;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;

    private DBusConnection(IMessageTransport transport, string description, int maxIncomingMessageLength)
    {
        _transport = transport;
        Description = description;
        _maxIncomingMessageLength = maxIncomingMessageLength;
    }

    /// <summary>The address this connection was made to, for messages.</summary>
    public string Description { get; }

    /// <summary>The unique name the bus gave this connection (<c>:1.42</c>), or null on a peer connection.</summary>
    public string? UniqueName { get; private set; }

    /// <summary>The server GUID from authentication.</summary>
    public string ServerGuid { get; private set; } = "";

    /// <summary>Completes, with the reason, when the connection has ended.</summary>
    public Task<Exception> Closed => _closed.Task;

    /// <summary>True until the connection has ended.</summary>
    public bool IsConnected => Volatile.Read(ref _isClosed) == 0;

    /// <summary>
    /// Answers method calls that peers send to this connection; returning null sends no reply.
    /// Without a handler, calls are answered with <c>org.freedesktop.DBus.Error.UnknownMethod</c>.
    /// </summary>
    public Func<Message, OutgoingMessage?>? MethodCallHandler { get; set; }

    /// <summary>Connects to the system bus (<see cref="DBusAddress.SystemBus"/>).</summary>
    public static Task<DBusConnection> ConnectSystemBusAsync(CancellationToken cancellationToken = default) =>
        ConnectAsync(DBusAddress.SystemBus, cancellationToken);

    /// <summary>
    /// Connects to <paramref name="address"/>, authenticates with EXTERNAL and, when
    /// <paramref name="isBus"/> is true, says <c>Hello</c> to get a unique name.
    /// </summary>
    public static async Task<DBusConnection> ConnectAsync(string address, CancellationToken cancellationToken = default, bool isBus = true)
    {
        var transport = await SocketTransport.ConnectAsync(DBusAddress.Parse(address), cancellationToken).ConfigureAwait(false);
        return await StartAsync(transport, address, isBus, SaslClient.EffectiveUid, DefaultMaxIncomingMessageLength, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Authenticates over an open transport and starts the loops; tests use it with an in-memory transport.</summary>
    internal static async Task<DBusConnection> StartAsync(IMessageTransport transport, string description, bool isBus, uint uid, int maxIncomingMessageLength, CancellationToken cancellationToken)
    {
        var connection = new DBusConnection(transport, description, maxIncomingMessageLength);
        try
        {
            connection.ServerGuid = await SaslClient.AuthenticateAsync(transport, uid, cancellationToken).ConfigureAwait(false);
            connection._readLoop = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
            connection._writeLoop = Task.Run(connection.WriteLoopAsync, CancellationToken.None);
            if (isBus)
            {
                connection.UniqueName = await connection.HelloAsync(cancellationToken).ConfigureAwait(false);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<string> HelloAsync(CancellationToken cancellationToken)
    {
        var reply = await CallAsync(BusCalls.Hello(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.GetBodyReader().ReadString();
    }

    /// <summary>Closes the connection; pending calls fail with <see cref="DBusConnectionClosedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Close(new DBusConnectionClosedException($"the connection to {Description} was closed by this process"));
        await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        _stopLoops.Dispose();
    }

    // Exactly once: the first reason wins, every later call is a no-op.
    private void Close(Exception reason)
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0)
        {
            return;
        }
        _outgoing.Writer.TryComplete();
        _stopLoops.Cancel();
        _transport.Dispose();
        foreach (var serial in _pending.Keys)
        {
            if (_pending.TryRemove(serial, out var pending))
            {
                pending.Completion.TrySetException(new DBusConnectionClosedException(
                    $"{pending.Description}: connection to {Description} lost before the reply: {reason.Message}", reason));
            }
        }
        lock (_subscriptions)
        {
            _subscriptions.Clear();
        }
        _closed.TrySetResult(reason);
    }

    private uint NextSerial()
    {
        uint serial;
        do
        {
            serial = unchecked((uint)Interlocked.Increment(ref _lastSerial));
        }
        while (serial == 0); // 0 is not a valid serial: skip it on wrap-around
        return serial;
    }

    private sealed record PendingCall(string Description, TaskCompletionSource<Message> Completion);
}
