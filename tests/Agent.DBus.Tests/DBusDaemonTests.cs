using UpdateAgent.Testing;
using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus.Tests;

/// <summary>The client against a real dbus-daemon on a private socket.</summary>
public sealed class DBusDaemonTests
{
    private const string ServiceName = "test.update_agent.Echo";

    private static async Task<DBusConnection> StartEchoServiceAsync(DBusDaemon daemon, Func<Message, OutgoingMessage?>? handler = null)
    {
        var service = await DBusConnection.ConnectAsync(daemon.Address);
        service.MethodCallHandler = handler ?? (call => call.Member switch
        {
            "Echo" => OutgoingMessage.Reply(call, call.Signature, Marshal.Body(call.Signature, [.. call.ReadBody()])),
            _ => OutgoingMessage.Error(call, "test.Error.Unknown", $"no {call.Member}"),
        });
        var reply = await service.CallAsync(BusCalls.RequestName(ServiceName));
        Assert.Equal(1u, reply.GetBodyReader().ReadUInt32()); // primary owner
        return service;
    }

    [Fact]
    public async Task Hello_gives_a_unique_name_and_the_bus_answers_its_own_methods()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        Assert.StartsWith(":1.", client.UniqueName, StringComparison.Ordinal);
        Assert.Equal(32, client.ServerGuid.Length);
        Assert.Equal(BusCalls.BusName, await client.GetNameOwnerAsync(BusCalls.BusName));
    }

    [Fact]
    public async Task A_call_through_the_bus_gets_its_reply_with_every_type()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        await using var service = await StartEchoServiceAsync(daemon);
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        const string signature = "ybnqiuxtdsogvaya{sv}(ias)";
        object[] values =
        [
            (byte)7, true, (short)-3, (ushort)4, -5, 6u, -7L, 8ul, 2.5, "text ✓", new ObjectPath("/a/b"), new SignatureValue("a{sv}"),
            new DBusVariant("ai", new DBusArray("i", [1, 2, 3])),
            new byte[] { 1, 2, 3 },
            new DBusArray("{sv}", [new DBusDictEntry("k", new DBusVariant("s", "v"))]),
            new DBusStruct([42, new DBusArray("s", ["x", "y"])]),
        ];
        var reply = await client.CallAsync(OutgoingMessage.MethodCall(ServiceName, "/echo", "test.Echo", "Echo", signature, Marshal.Body(signature, values)));
        Assert.Equal(signature, reply.Signature);
        Assert.Equal(string.Join(" ", values.Select(DBusValueText.Format)), string.Join(" ", reply.ReadBody().Select(DBusValueText.Format)));
    }

    [Fact]
    public async Task Errors_from_the_service_and_from_the_bus_are_reported_by_name()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        await using var service = await StartEchoServiceAsync(daemon);
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        var fromService = await Assert.ThrowsAsync<DBusErrorReplyException>(() =>
            client.CallAsync(OutgoingMessage.MethodCall(ServiceName, "/echo", "test.Echo", "Nope")));
        Assert.Equal("test.Error.Unknown", fromService.ErrorName);
        var fromBus = await Assert.ThrowsAsync<DBusErrorReplyException>(() =>
            client.CallAsync(OutgoingMessage.MethodCall("test.nobody.Here", "/x", "test.X", "Y")));
        Assert.Equal("org.freedesktop.DBus.Error.ServiceUnknown", fromBus.ErrorName);
    }

    [Fact]
    public async Task Signals_arrive_through_match_rules_and_stop_after_unsubscribing()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        await using var emitter = await StartEchoServiceAsync(daemon);
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        var received = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var subscription = await client.SubscribeAsync(
            new MatchRule { Sender = ServiceName, Interface = "test.Echo", Member = "Ticked" },
            m => received.Writer.TryWrite(m.GetBodyReader().ReadString()));

        emitter.Send(OutgoingMessage.Signal("/echo", "test.Echo", "Other", "s", Marshal.Body("s", "ignored")));
        emitter.Send(OutgoingMessage.Signal("/echo", "test.Echo", "Ticked", "s", Marshal.Body("s", "one")));
        Assert.Equal("one", await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        await subscription.DisposeAsync();
        emitter.Send(OutgoingMessage.Signal("/echo", "test.Echo", "Ticked", "s", Marshal.Body("s", "two")));
        // A round trip through the same emitter → bus → client path orders after the signal.
        await client.CallAsync(OutgoingMessage.MethodCall(ServiceName, "/echo", "test.Echo", "Echo"));
        Assert.False(received.Reader.TryRead(out var late), $"received '{late}' after unsubscribing");
    }

    [Fact]
    public async Task A_daemon_that_dies_mid_call_fails_the_call_promptly_with_the_reason()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        var callArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var service = await StartEchoServiceAsync(daemon, _ => { callArrived.TrySetResult(); return null; });
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        var call = client.CallAsync(OutgoingMessage.MethodCall(ServiceName, "/echo", "test.Echo", "NeverAnswered"), TimeSpan.FromMinutes(5));
        await callArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        daemon.Kill();
        var e = await Assert.ThrowsAsync<DBusConnectionClosedException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("test.Echo.NeverAnswered", e.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Connecting_to_a_missing_socket_says_where_it_tried()
    {
        var e = await Assert.ThrowsAsync<DBusConnectionClosedException>(() => DBusConnection.ConnectAsync("unix:path=/nonexistent/bus"));
        Assert.Contains("unix:path=/nonexistent/bus", e.Message, StringComparison.Ordinal);
    }
}
