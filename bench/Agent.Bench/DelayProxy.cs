using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UpdateAgent.Bench;

/// <summary>
/// A TCP forwarder in front of a plain-HTTP registry that makes loopback look like a network
/// with <see cref="RoundTrip"/> of round-trip time, and counts the HTTP requests that cross it.
/// <para>
/// What the delay models: every HTTP request waits one round trip before its response starts
/// to flow back (the first bytes of a response are held for <see cref="RoundTrip"/>; the rest
/// of that response follows at loopback speed, so bandwidth is not modelled); every new TCP
/// connection waits <see cref="Handshake"/> more before its first bytes are forwarded (the TCP
/// handshake: one round trip on a real network; zero turns it off).
/// Plain HTTP, so there is no TLS handshake to model.
/// </para>
/// <para>
/// The counter parses the request stream (request line, headers, a Content-Length or chunked
/// body), so it counts requests the same way for any client, on any number of connections,
/// with keep-alive or without.
/// </para>
/// </summary>
internal sealed class DelayProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Task> _connections = new();
    private readonly ConcurrentDictionary<string, int> _byKind = new(StringComparer.Ordinal);
    private readonly Task _accepting;
    private long _requests;
    private long _connectionCount;

    public DelayProxy(IPEndPoint listen, IPEndPoint upstream, TimeSpan roundTrip, TimeSpan handshake)
    {
        _upstream = upstream;
        RoundTrip = roundTrip;
        Handshake = handshake;
        _listener = new TcpListener(listen);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public TimeSpan RoundTrip { get; }

    public TimeSpan Handshake { get; }

    /// <summary>What the counters say now; subtract two snapshots to get what one pass did.</summary>
    public Counts Snapshot() => new(Interlocked.Read(ref _requests), Interlocked.Read(ref _connectionCount),
        _byKind.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    public sealed record Counts(long Requests, long Connections, IReadOnlyDictionary<string, int> ByKind)
    {
        public Counts Minus(Counts before) => new(Requests - before.Requests, Connections - before.Connections,
            ByKind.Select(p => (p.Key, Value: p.Value - before.ByKind.GetValueOrDefault(p.Key)))
                .Where(p => p.Value != 0)
                .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connectionCount);
            _connections.Enqueue(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(_upstream, _stop.Token);
                var toUpstream = client.GetStream();
                var fromUpstream = upstream.GetStream();
                // One bit shared by the two directions: a request went up since the last response began.
                var awaitingResponse = new StrongBox<bool>();
                var handshakeDone = false;
                var tls = false;
                var parser = new RequestParser(kind =>
                {
                    Interlocked.Increment(ref _requests);
                    _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
                });
                async Task Up()
                {
                    var buffer = new byte[64 * 1024];
                    int read;
                    while ((read = await toUpstream.ReadAsync(buffer, _stop.Token)) > 0)
                    {
                        if (!handshakeDone)
                        {
                            await Task.Delay(Handshake, _stop.Token); // the TCP handshake's round trip
                            handshakeDone = true;
                            if (buffer[0] == 0x16)
                            {
                                // A TLS ClientHello: the client tries HTTPS first; the plain-HTTP registry answers 400.
                                tls = true;
                                _byKind.AddOrUpdate("TLS ClientHello (HTTPS attempt)", 1, (_, n) => n + 1);
                            }
                        }
                        if (!tls)
                        {
                            parser.Feed(buffer.AsSpan(0, read));
                        }
                        Volatile.Write(ref awaitingResponse.Value, true);
                        await fromUpstream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                    }
                    upstream.Client.Shutdown(SocketShutdown.Send);
                }
                async Task Down()
                {
                    var buffer = new byte[64 * 1024];
                    int read;
                    while ((read = await fromUpstream.ReadAsync(buffer, _stop.Token)) > 0)
                    {
                        if (Volatile.Read(ref awaitingResponse.Value))
                        {
                            Volatile.Write(ref awaitingResponse.Value, false);
                            await Task.Delay(RoundTrip, _stop.Token); // the request's round trip
                        }
                        await toUpstream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                    }
                    client.Client.Shutdown(SocketShutdown.Send);
                }
                await Task.WhenAll(Up(), Down());
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A client or the registry hung up; the other side goes with it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        while (_connections.TryDequeue(out var connection))
        {
            await connection;
        }
        _stop.Dispose();
    }

    private sealed class StrongBox<T>
    {
        public T? Value;
    }

    /// <summary>
    /// Finds request boundaries in an HTTP/1.1 request stream: head up to the blank line, then a
    /// Content-Length body or a chunked body. Calls back with "METHOD what" for each request head.
    /// </summary>
    private sealed class RequestParser(Action<string> onRequest)
    {
        private readonly StringBuilder _line = new();
        private readonly List<string> _head = [];
        private State _state = State.Head;
        private long _remaining;

        private enum State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer }

        public void Feed(ReadOnlySpan<byte> data)
        {
            var i = 0;
            while (i < data.Length)
            {
                switch (_state)
                {
                    case State.Body:
                    case State.ChunkData:
                        {
                            var take = (int)Math.Min(_remaining, data.Length - i);
                            i += take;
                            _remaining -= take;
                            if (_remaining == 0)
                            {
                                _state = _state == State.Body ? State.Head : State.ChunkDataEnd;
                            }
                            break;
                        }
                    default:
                        {
                            var b = data[i++];
                            if (b != (byte)'\n')
                            {
                                if (b != (byte)'\r')
                                {
                                    _line.Append((char)b);
                                }
                                break;
                            }
                            var line = _line.ToString();
                            _line.Clear();
                            OnLine(line);
                            break;
                        }
                }
            }
        }

        private void OnLine(string line)
        {
            switch (_state)
            {
                case State.Head when line.Length == 0 && _head.Count == 0:
                    return; // stray CRLF between requests
                case State.Head when line.Length > 0:
                    _head.Add(line);
                    return;
                case State.Head:
                    EndOfHead();
                    return;
                case State.ChunkSize:
                    var size = Convert.ToInt64(line.Split(';')[0].Trim(), 16);
                    (_state, _remaining) = size == 0 ? (State.Trailer, 0L) : (State.ChunkData, size);
                    return;
                case State.ChunkDataEnd:
                    _state = State.ChunkSize;
                    return;
                case State.Trailer when line.Length == 0:
                    _state = State.Head;
                    return;
                default:
                    return;
            }
        }

        private void EndOfHead()
        {
            onRequest(Kind(_head[0]));
            long length = 0;
            var chunked = false;
            foreach (var header in _head.Skip(1))
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }
                var name = header[..colon].Trim();
                var value = header[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = true;
                }
            }
            _head.Clear();
            (_state, _remaining) = chunked ? (State.ChunkSize, 0L) : length > 0 ? (State.Body, length) : (State.Head, 0L);
        }

        // "HEAD manifests", "GET /v2/", "GET blobs": the request's method and what it asks for, without repository or digest.
        private static string Kind(string requestLine)
        {
            var parts = requestLine.Split(' ');
            if (parts.Length < 2)
            {
                return requestLine;
            }
            var path = parts[1].Split('?')[0];
            var what = path is "/v2/" or "/v2" ? "/v2/ (ping)"
                : path.Contains("/manifests/", StringComparison.Ordinal) ? (path.Contains("/manifests/sha256", StringComparison.Ordinal) ? "manifest by digest" : "manifest by tag")
                : path.Contains("/blobs/uploads", StringComparison.Ordinal) ? "blob upload"
                : path.Contains("/blobs/", StringComparison.Ordinal) ? "blob"
                : path.Contains("/referrers/", StringComparison.Ordinal) ? "referrers"
                : path.Contains("/tags/list", StringComparison.Ordinal) ? "tags list"
                : "other";
            return $"{parts[0]} {what}";
        }
    }
}
