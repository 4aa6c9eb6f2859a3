using UpdateAgent.Testing;

namespace UpdateAgent.Systemd.Tests;

/// <summary>A real dbus-daemon with <see cref="FakeSystemd"/> on it and a <see cref="SystemdManager"/> connected, for one test.</summary>
internal sealed class FakeSystemdBus : IAsyncDisposable
{
    private FakeSystemdBus(DBusDaemon daemon, FakeSystemd systemd, SystemdManager client)
    {
        Daemon = daemon;
        Systemd = systemd;
        Client = client;
    }

    public DBusDaemon Daemon { get; }

    public FakeSystemd Systemd { get; }

    public SystemdManager Client { get; }

    public static async Task<FakeSystemdBus> StartAsync()
    {
        var daemon = await DBusDaemon.StartAsync();
        var systemd = await FakeSystemd.StartAsync(daemon.Address);
        return new FakeSystemdBus(daemon, systemd, await SystemdManager.ConnectAsync(daemon.Address));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Systemd.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
