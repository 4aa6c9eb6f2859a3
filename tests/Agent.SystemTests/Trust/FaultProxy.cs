using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>
/// A plain-HTTP proxy in front of the testbed's registry that can be told to fail: answer 500 or
/// 429, never answer, reset the connection, alter manifest bytes, cut a manifest short, name the
/// wrong digest, or pad a manifest to 10 MB. Serves one request per connection.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    /// <summary>What the proxy does to the requests it serves from now on.</summary>
    public enum Fault
    {
        /// <summary>Passes everything through.</summary>
        None,

        /// <summary>Every request: 500.</summary>
        ServerError,

        /// <summary>Every request: 429 with <c>Retry-After: 1</c>, as a rate-limited registry answers.</summary>
        TooManyRequests,

        /// <summary>Every request: no answer, until the fault changes (then the connection is closed).</summary>
        Hang,

        /// <summary>Every request: the connection is reset (TCP RST) once the request is read.</summary>
        Reset,

        /// <summary>Manifests fetched by digest: one byte of whitespace more, and no digest header.</summary>
        AlterManifest,

        /// <summary>Manifests fetched by digest: half the body, with the whole body's length.</summary>
        TruncateManifest,

        /// <summary>Every manifest answer: the digest header names another digest than the body's.</summary>
        WrongDigest,

        /// <summary>Every manifest answer: the body padded with whitespace to 10 MB (still valid JSON).</summary>
        HugeManifest,
    }

    private const int HugeManifestBytes = 10 * 1024 * 1024;

    private readonly TcpListener _listener;
    private readonly string _upstream;
    private readonly HttpClient _http = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile Fault _fault;
    private CancellationTokenSource _hangEnds = new();

    private FaultProxy(string upstream)
    {
        _upstream = upstream;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static FaultProxy Start(string upstream) => new(upstream);

    /// <summary>Changes the fault; connections held by <see cref="Fault.Hang"/> are closed.</summary>
    public void Inject(Fault fault)
    {
        _fault = fault;
        // Not disposed: a connection that just arrived may still be reading its token.
        Interlocked.Exchange(ref _hangEnds, new CancellationTokenSource()).Cancel();
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (method, path, accept) = await ReadRequestAsync(stream);
                var fault = _fault;
                switch (fault)
                {
                    case Fault.Hang:
                        using (var held = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _hangEnds.Token))
                        {
                            await Task.Delay(Timeout.Infinite, held.Token);
                        }
                        return;
                    case Fault.Reset:
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                    case Fault.ServerError:
                        await WriteAsync(stream, 500, "text/plain", null, "boom"u8.ToArray(), null);
                        return;
                    case Fault.TooManyRequests:
                        await WriteAsync(stream, 429, "text/plain", null, "slow down"u8.ToArray(), null, retryAfter: true);
                        return;
                }
                using var request = new HttpRequestMessage(new HttpMethod(method), $"http://{_upstream}{path}");
                if (accept is not null)
                {
                    request.Headers.TryAddWithoutValidation("Accept", accept);
                }
                using var response = await _http.SendAsync(request, _stop.Token);
                var body = await response.Content.ReadAsByteArrayAsync(_stop.Token);
                var isManifest = method == "GET" && path.Contains("/manifests/sha256:", StringComparison.Ordinal) && response.IsSuccessStatusCode;
                var anyManifest = path.Contains("/manifests/", StringComparison.Ordinal) && response.IsSuccessStatusCode;
                var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.First() : null;
                if (anyManifest && fault == Fault.WrongDigest)
                {
                    digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. body, (byte)' ']));
                }
                // A HEAD answer announces the length of the body a GET would get, and sends none.
                long? announced = method == "HEAD" ? response.Content.Headers.ContentLength : null;
                if (anyManifest && fault == Fault.HugeManifest)
                {
                    if (method == "HEAD")
                    {
                        announced = HugeManifestBytes;
                    }
                    else
                    {
                        var padded = new byte[HugeManifestBytes];
                        Array.Fill(padded, (byte)' ');
                        body.CopyTo(padded, 0);
                        body = padded;
                    }
                }
                int? cutAt = null;
                if (isManifest && fault == Fault.AlterManifest)
                {
                    body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"schemaVersion\":2", "\"schemaVersion\": 2", StringComparison.Ordinal));
                    digest = null;
                }
                if (isManifest && fault == Fault.TruncateManifest)
                {
                    cutAt = body.Length / 2;
                }
                await WriteAsync(stream, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), digest, body, cutAt, headLength: announced);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or HttpRequestException)
            {
                // The client went away or the proxy stops: nothing to answer.
            }
        }
    }

    private static async Task<(string Method, string Path, string? Accept)> ReadRequestAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("closed");
            }
            if (head.Length == 0 && one[0] == 0x16)
            {
                // A TLS handshake: podman tries HTTPS first even on an insecure registry. Closing at once is
                // what a plain-HTTP server amounts to; waiting for a request line would cost each pull
                // podman's 10 s handshake timeout before it falls back to HTTP.
                throw new IOException("a TLS handshake on a plain-HTTP port");
            }
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n");
        var start = lines[0].Split(' ');
        var accept = string.Join(", ", lines.Skip(1).Where(l => l.StartsWith("Accept:", StringComparison.OrdinalIgnoreCase)).Select(l => l[7..].Trim()));
        return (start[0], start[1], accept.Length == 0 ? null : accept);
    }

    // headLength: a HEAD answer, which announces that length and sends no body.
    private static async Task WriteAsync(NetworkStream stream, int status, string? contentType, string? digest, byte[] body, int? cutAt,
        long? headLength = null, bool retryAfter = false)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {headLength ?? body.Length}\r\n");
        if (retryAfter)
        {
            head.Append("Retry-After: 1\r\n");
        }
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }
        if (digest is not null)
        {
            head.Append("Docker-Content-Digest: ").Append(digest).Append("\r\n");
        }
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body.AsMemory(0, headLength is null ? cutAt ?? body.Length : 0));
        await stream.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _http.Dispose();
        _stop.Dispose();
    }
}
