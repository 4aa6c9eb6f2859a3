using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;
using UpdateAgent.Hosting;

namespace UpdateAgent.Tests;

/// <summary>sd_notify datagrams reach NOTIFY_SOCKET, and a socket nobody reads never blocks the sender for good.</summary>
public sealed class NotifySocketNotifierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notify-").FullName;

    [Fact]
    public void Datagrams_reach_a_path_socket_and_an_abstract_one()
    {
        foreach (var (address, endpoint) in new[]
        {
            (Path.Combine(_folder, "notify.sock"), Path.Combine(_folder, "notify.sock")),
            ($"@update-agent-test-{Environment.ProcessId}", $"\0update-agent-test-{Environment.ProcessId}"),
        })
        {
            using var listener = Listen(endpoint);
            var notifier = new NotifySocketNotifier(address);
            Assert.True(notifier.IsEnabled);
            notifier.Notify(new ServiceState("STATUS=checking 3 units"));
            var buffer = new byte[256];
            var length = listener.Receive(buffer);
            Assert.Equal("STATUS=checking 3 units", Encoding.UTF8.GetString(buffer, 0, length));
        }
    }

    [Fact]
    public void Without_a_socket_it_is_disabled_and_sends_nothing()
    {
        var notifier = new NotifySocketNotifier(null);
        Assert.False(notifier.IsEnabled);
        notifier.Notify(ServiceState.Ready);
    }

    [Fact]
    public void A_socket_whose_queue_is_full_fails_the_send_instead_of_blocking_it()
    {
        var path = Path.Combine(_folder, "full.sock");
        using var listener = Listen(path); // bound, never read
        var notifier = new NotifySocketNotifier(path);
        SocketException? failure = null;
        // The queue holds net.unix.max_dgram_qlen datagrams (10 by default); the one after waits
        // SendTimeout for room, then fails.
        for (var i = 0; i < 10_000 && failure is null; i++)
        {
            failure = Record.Exception(() => notifier.Notify(new ServiceState($"STATUS=pass {i}"))) as SocketException;
        }
        Assert.NotNull(failure);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Socket Listen(string endpoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(endpoint));
        return socket;
    }
}
