using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using UpdateAgent.Core.Ports;
using UpdateAgent.Podman;

namespace UpdateAgent.Adapters;

/// <summary>
/// The HTTP probe over <see cref="HttpClient"/>. A container with a network namespace of its own
/// (any <c>Network=</c> but host) is probed from inside that namespace, so <c>127.0.0.1:PORT</c>
/// means the container's loopback and its port need not be published; a host-network container
/// is probed from the host as before.
/// </summary>
internal sealed partial class HttpProbe(HttpClient http, IPodmanClient? podman = null, string podmanSocket = "") : IHttpProbe
{
    /// <summary>
    /// Where podman's own root is seen from here: empty on a host, <c>/proc/PID/root</c> when
    /// podman's socket is reached through another process's root (podman in a container or a
    /// machine), so podman's paths (<c>/proc/PID/ns/net</c>, <c>/run/netns/…</c>) are looked up there.
    /// </summary>
    private readonly string _podmanRoot = PodmanRoot().Match(podmanSocket) is { Success: true } m ? m.Groups[1].Value : "";

    /// <inheritdoc />
    public async Task<(bool Healthy, string Detail)> ProbeAsync(Uri url, string? container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var where = "";
        try
        {
            var network = await NetworkOfAsync(container, deadline.Token).ConfigureAwait(false);
            if (network is null)
            {
                return Answer(url, await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false), "");
            }
            where = $" in {container}'s network";
            using var handler = InNamespace(_podmanRoot + network);
            using var inside = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
            return Answer(url, await inside.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false), where);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"GET {url}{where}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            var inner = e.InnerException is IOException io && !e.Message.Contains(io.Message, StringComparison.Ordinal) ? $" ({io.Message})" : "";
            return (false, $"GET {url}{where}: {e.Message}{inner}");
        }
        catch (PodmanException e)
        {
            return (false, $"GET {url}: the network of {container} could not be read: {e.Message}");
        }
    }

    private static (bool, string) Answer(Uri url, HttpResponseMessage response, string where)
    {
        using (response)
        {
            var code = (int)response.StatusCode;
            return (code is >= 200 and < 300, $"GET {url}{where} → {code}");
        }
    }

    /// <summary>The container's network namespace as podman names it; null for the host's network (or no container).</summary>
    private async Task<string?> NetworkOfAsync(string? container, CancellationToken cancellationToken)
    {
        if (podman is null || string.IsNullOrEmpty(container))
        {
            return null;
        }
        var state = await podman.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
        return state.NetworkNamespace is { Length: > 0 } path && !string.Equals(state.NetworkMode, "host", StringComparison.Ordinal) ? path : null;
    }

    // Every connection of this handler is made by a socket created in the namespace; no proxy, since
    // a proxy on the host cannot reach the container's loopback.
    private static SocketsHttpHandler InNamespace(string namespacePath) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectCallback = async (context, token) =>
        {
            var host = context.DnsEndPoint.Host;
            var address = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? literal
                : (await Dns.GetHostAddressesAsync(host, token).ConfigureAwait(false)).FirstOrDefault()
                    ?? throw new IOException($"{host} has no address");
            var socket = await NetworkNamespace.CreateSocketAsync(namespacePath, address.AddressFamily).ConfigureAwait(false);
            try
            {
                socket.NoDelay = true;
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    [GeneratedRegex(@"^(/proc/[0-9]+/root)/")]
    private static partial Regex PodmanRoot();
}
