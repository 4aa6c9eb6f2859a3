using UpdateAgent.Testing;

namespace UpdateAgent.Systemd.Tests;

/// <summary>
/// A real dbus-daemon with <see cref="FakeSystemd"/> on it and a <see cref="SystemdManager"/>
/// connected, for one test; the manager either connects directly or through a
/// <see cref="BusProxy"/> that the test can cut.
/// </summary>
internal sealed class FakeSystemdBus : IAsyncDisposable
{
    private FakeSystemdBus(DBusDaemon daemon, FakeSystemd systemd, BusProxy? proxy, SystemdManager client)
    {
        Daemon = daemon;
        Systemd = systemd;
        Proxy = proxy;
        Client = client;
    }

    public DBusDaemon Daemon { get; }

    public FakeSystemd Systemd { get; }

    /// <summary>Between the client and the daemon, when started with <c>throughProxy</c>.</summary>
    public BusProxy? Proxy { get; }

    public SystemdManager Client { get; }

    public static async Task<FakeSystemdBus> StartAsync(bool throughProxy = false)
    {
        var daemon = await DBusDaemon.StartAsync();
        var systemd = await FakeSystemd.StartAsync(daemon.Address);
        var proxy = throughProxy ? BusProxy.Start(daemon.Address) : null;
        return new FakeSystemdBus(daemon, systemd, proxy, await SystemdManager.ConnectAsync(proxy?.Address ?? daemon.Address));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }
        await Systemd.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
