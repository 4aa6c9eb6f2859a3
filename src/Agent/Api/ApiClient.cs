using System.Net.Sockets;

namespace UpdateAgent.Api;

/// <summary>The CLI's side of the daemon's API socket.</summary>
internal static class ApiClient
{
    /// <summary>GETs <paramref name="path"/>; null when no daemon listens (then the CLI works in process).</summary>
    public static Task<string?> TryGetAsync(string socket, string path, CancellationToken cancellationToken) =>
        TrySendAsync(socket, HttpMethod.Get, path, cancellationToken);

    /// <summary>Sends a request; null when no daemon listens. A refusal by the daemon throws <see cref="ApiRefusedException"/>.</summary>
    public static async Task<string?> TrySendAsync(string socket, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(socket))
        {
            return null;
        }
        var connected = false;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), token).ConfigureAwait(false);
                    connected = true;
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            },
        };
        // A pass with soak windows can take minutes; the daemon bounds its own work.
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(30) };
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, new Uri("http://update-agent" + path));
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (!connected && e.InnerException is SocketException)
        {
            return null; // a socket file left by a daemon that is gone
        }
        catch (HttpRequestException e) when (connected)
        {
            // The daemon took the request and then went away: it may have been in the middle of an update,
            // which its next start resolves. Doing the work here instead would race that recovery.
            throw new ApiRefusedException(503, $"the daemon stopped answering during the request ({e.Message}); it resolves any interrupted update when it starts again (journalctl -u update-agent)");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ApiRefusedException((int)response.StatusCode, body.Trim());
            }
            return body;
        }
    }
}

/// <summary>The daemon answered with an error; the message is its explanation.</summary>
internal sealed class ApiRefusedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
