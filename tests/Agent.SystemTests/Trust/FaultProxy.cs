using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>
/// A plain-HTTP proxy in front of the testbed's registry that can be told to fail: answer 500,
/// never answer, alter manifest bytes, or cut a manifest short. Serves one request per connection.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    public enum Fault { None, ServerError, Hang, AlterManifest, TruncateManifest }

    private readonly TcpListener _listener;
    private readonly string _upstream;
    private readonly HttpClient _http = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile Fault _fault;

    private FaultProxy(string upstream)
    {
        _upstream = upstream;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static FaultProxy Start(string upstream) => new(upstream);

    public void Inject(Fault fault) => _fault = fault;

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
                if (fault == Fault.Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                if (fault == Fault.ServerError)
                {
                    await WriteAsync(stream, 500, "text/plain", null, "boom"u8.ToArray(), null);
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
                var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.First() : null;
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
                await WriteAsync(stream, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), digest, body, cutAt);
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
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n");
        var start = lines[0].Split(' ');
        var accept = string.Join(", ", lines.Skip(1).Where(l => l.StartsWith("Accept:", StringComparison.OrdinalIgnoreCase)).Select(l => l[7..].Trim()));
        return (start[0], start[1], accept.Length == 0 ? null : accept);
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string? contentType, string? digest, byte[] body, int? cutAt)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {body.Length}\r\n");
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
        await stream.WriteAsync(body.AsMemory(0, cutAt ?? body.Length));
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
