using UpdateAgent.Testing;

namespace UpdateAgent.Systemd.Tests;

/// <summary>Calls, their errors and the connection's end, against a real dbus-daemon and a scripted systemd.</summary>
public sealed class SystemdConnectionTests
{
    [Fact]
    public async Task Calls_through_the_bus_get_typed_replies()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        Assert.StartsWith(":1.", bus.Client.UniqueName, StringComparison.Ordinal);
        var path = await bus.Client.GetUnitAsync("app.service");
        Assert.Equal(FakeSystemd.UnitPath, path);
        Assert.Equal("active", await bus.Client.GetStringPropertyAsync(path, SystemdNames.UnitInterface, "ActiveState"));
        var state = await bus.Client.GetUnitStateAsync("app.service");
        Assert.Equal(("loaded", "active", "running", "success"), (state.LoadState, state.ActiveState, state.SubState, state.Result));
        var units = await bus.Client.ListUnitsByPatternsAsync([], ["*.service"]);
        Assert.Equal(["app.service", "db.service"], units.Select(u => u.Name));
        Assert.Equal(new UnitListEntry("db.service", "the db.service", "loaded", "failed", "failed", "/org/freedesktop/systemd1/unit/db_2eservice"), units[1]);
    }

    [Fact]
    public async Task Errors_from_systemd_and_from_the_bus_are_reported_by_name()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        await using var client = await SystemdManager.ConnectAsync(daemon.Address);
        var fromBus = await Assert.ThrowsAsync<SystemdErrorReplyException>(() => client.GetUnitAsync("app.service"));
        Assert.Equal("org.freedesktop.DBus.Error.ServiceUnknown", fromBus.ErrorName);

        await using var systemd = await FakeSystemd.StartAsync(daemon.Address);
        var fromSystemd = await Assert.ThrowsAsync<SystemdErrorReplyException>(() => client.GetUnitAsync(FakeSystemd.MissingUnit));
        Assert.Equal(SystemdNames.NoSuchUnitError, fromSystemd.ErrorName);
        Assert.Equal($"Unit {FakeSystemd.MissingUnit} not loaded.", fromSystemd.ErrorMessage);
        Assert.Contains("org.freedesktop.systemd1.Manager.GetUnit", fromSystemd.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_that_dies_mid_call_fails_the_call_promptly_naming_it()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.NeverAnswered.Add("GetUnit");
        bus.Client.CallTimeout = TimeSpan.FromMinutes(5);
        var call = bus.Client.GetUnitAsync("app.service");
        await bus.Systemd.UnansweredCallArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        bus.Daemon.Kill();
        var e = await Assert.ThrowsAsync<SystemdConnectionException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("org.freedesktop.systemd1.Manager.GetUnit", e.Message, StringComparison.Ordinal);
        Assert.Contains("lost", e.Message, StringComparison.Ordinal);
        // Later calls fail the same way at once.
        await Assert.ThrowsAsync<SystemdConnectionException>(() => bus.Client.GetUnitAsync("app.service").WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_call_without_reply_times_out_naming_the_call_and_the_connection_stays_usable()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.NeverAnswered.Add("LoadUnit");
        bus.Client.CallTimeout = TimeSpan.FromMilliseconds(200);
        var e = await Assert.ThrowsAsync<SystemdTimeoutException>(() => bus.Client.LoadUnitAsync("app.service"));
        Assert.Contains("org.freedesktop.systemd1.Manager.LoadUnit", e.Message, StringComparison.Ordinal);
        Assert.Contains("no reply within 0.2 s", e.Message, StringComparison.Ordinal);
        Assert.Equal(FakeSystemd.UnitPath, await bus.Client.GetUnitAsync("app.service"));
    }

    [Fact]
    public async Task A_cancelled_call_throws_cancellation()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.NeverAnswered.Add("GetUnit");
        using var cts = new CancellationTokenSource();
        var call = bus.Client.GetUnitAsync("app.service", cts.Token);
        await bus.Systemd.UnansweredCallArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task Connecting_to_a_missing_socket_says_where_it_tried()
    {
        var e = await Assert.ThrowsAsync<SystemdConnectionException>(() => SystemdManager.ConnectAsync("unix:path=/nonexistent/bus"));
        Assert.Contains("unix:path=/nonexistent/bus", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_closes_exactly_once_and_later_calls_say_it_is_closed()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        var client = await SystemdManager.ConnectAsync(daemon.Address);
        await client.DisposeAsync();
        await client.DisposeAsync();
        var e = await Assert.ThrowsAsync<SystemdConnectionException>(() => client.GetUnitAsync("app.service"));
        Assert.Contains("org.freedesktop.systemd1.Manager.GetUnit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_system_bus_is_the_environment_s_or_the_standard_socket()
    {
        var expected = Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS") is { Length: > 0 } set ? set : "unix:path=/run/dbus/system_bus_socket";
        Assert.Equal(expected, SystemBus.Address);
    }
}
