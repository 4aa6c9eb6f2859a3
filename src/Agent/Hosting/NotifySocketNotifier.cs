using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;

namespace UpdateAgent.Hosting;

/// <summary>
/// sd_notify over <c>NOTIFY_SOCKET</c>, as <see cref="SystemdNotifier"/> does it, but a send that
/// cannot complete gives up after <see cref="SendTimeout"/>. A datagram socket whose reader has
/// stopped reading fills after a handful of messages (<c>net.unix.max_dgram_qlen</c>, 10 by
/// default), and then a plain send blocks for good: the STOPPING=1 of a SIGTERM would hold the
/// signal thread, and the daemon would never stop.
/// </summary>
internal sealed class NotifySocketNotifier : ISystemdNotifier
{
    /// <summary>How long one notification may wait for room in the socket's queue.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(1);

    private readonly UnixDomainSocketEndPoint? _endpoint;

    /// <summary>Follows <c>NOTIFY_SOCKET</c> (a path, or <c>@name</c> in the abstract namespace).</summary>
    public NotifySocketNotifier() : this(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))
    {
    }

    /// <summary>Sends to <paramref name="socket"/>; null or empty makes every notification a no-op.</summary>
    public NotifySocketNotifier(string? socket)
    {
        if (!string.IsNullOrEmpty(socket))
        {
            _endpoint = new UnixDomainSocketEndPoint(socket[0] == '@' ? "\0" + socket[1..] : socket);
        }
    }

    /// <inheritdoc />
    public bool IsEnabled => _endpoint is not null;

    /// <inheritdoc />
    /// <exception cref="SocketException">The socket is gone, or had no room within <see cref="SendTimeout"/>.</exception>
    public void Notify(ServiceState state)
    {
        if (_endpoint is null)
        {
            return;
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.SendTimeout = (int)SendTimeout.TotalMilliseconds;
        socket.Connect(_endpoint);
        socket.Send(Encoding.UTF8.GetBytes(state.ToString()));
    }
}
