using System.Net.Sockets;

namespace UpdateAgent.Systemd.Tests;

/// <summary>
/// A Unix socket between the client and a real dbus-daemon, copying bytes both ways, so a test
/// can lose a client's connection the way a restarted bus loses it (<see cref="CutAll"/>) and
/// keep the bus away for a while (<see cref="Refusing"/>) while the daemon and the fake systemd
/// on it stay. Each accepted connection is counted.
/// </summary>
internal sealed class BusProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _target;
    private readonly string _directory;
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    private BusProxy(string directory, string target)
    {
        _directory = directory;
        _target = target;
        var path = Path.Combine(directory, "proxy");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen();
        Address = $"unix:path={path}";
        _accepting = AcceptAsync();
    }

    /// <summary>What the client connects to (no guid: a restarted bus has a new one).</summary>
    public string Address { get; }

    /// <summary>How many connections the proxy has taken, refused ones included.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>While set, a new connection is closed at once, as a bus that is not there.</summary>
    public bool Refusing { get; set; }

    /// <summary>Forwards to the dbus-daemon at <paramref name="daemonAddress"/> (<c>unix:path=…,guid=…</c>).</summary>
    public static BusProxy Start(string daemonAddress)
    {
        var target = daemonAddress["unix:path=".Length..].Split(',')[0];
        return new BusProxy(Directory.CreateTempSubdirectory("update-agent-busproxy-").FullName, target);
    }

    /// <summary>Closes every connection through the proxy: their clients see the bus go away.</summary>
    public void CutAll()
    {
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Dispose();
            }
            _open.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            if (Refusing)
            {
                client.Dispose();
                continue;
            }
            var daemon = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await daemon.ConnectAsync(new UnixDomainSocketEndPoint(_target));
            lock (_open)
            {
                _open.Add(client);
                _open.Add(daemon);
            }
            _ = CopyAsync(client, daemon);
            _ = CopyAsync(daemon, client);
        }
    }

    // Ends both sides when either does, as a dying daemon would.
    private static async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        from.Dispose();
        to.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        CutAll();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
