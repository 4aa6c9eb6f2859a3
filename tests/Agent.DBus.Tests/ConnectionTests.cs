using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus.Tests;

/// <summary>The connection's routing, timeouts and failure handling against a scripted peer in memory.</summary>
public sealed class ConnectionTests
{
    private static OutgoingMessage Call(string member) => OutgoingMessage.MethodCall("test.Peer", "/test", "test.Iface", member);

    [Fact]
    public async Task Replies_are_routed_to_their_callers_by_serial_even_out_of_order()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        var first = peer.Client.CallAsync(Call("First"));
        var second = peer.Client.CallAsync(Call("Second"));
        var callA = await peer.ReceiveAsync();
        var callB = await peer.ReceiveAsync();
        await peer.SendAsync(OutgoingMessage.Reply(callB, "s", Marshal.Body("s", "to " + callB.Member)), 10);
        await peer.SendAsync(OutgoingMessage.Reply(callA, "s", Marshal.Body("s", "to " + callA.Member)), 11);
        Assert.Equal("to First", (await first).GetBodyReader().ReadString());
        Assert.Equal("to Second", (await second).GetBodyReader().ReadString());
    }

    [Fact]
    public async Task An_error_reply_throws_with_its_name_and_text()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        var call = peer.Client.CallAsync(Call("Fail"));
        var received = await peer.ReceiveAsync();
        await peer.SendAsync(OutgoingMessage.Error(received, "test.Error.Nope", "it did not work"), 2);
        var e = await Assert.ThrowsAsync<DBusErrorReplyException>(() => call);
        Assert.Equal("test.Error.Nope", e.ErrorName);
        Assert.Equal("it did not work", e.ErrorMessage);
        Assert.Contains("test.Iface.Fail", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_without_reply_times_out_naming_the_call()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => peer.Client.CallAsync(Call("Silent"), TimeSpan.FromMilliseconds(50)));
        Assert.Contains("test.Iface.Silent", e.Message, StringComparison.Ordinal);
        Assert.True(peer.Client.IsConnected);
    }

    [Fact]
    public async Task A_cancelled_call_throws_cancellation()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        using var cts = new CancellationTokenSource();
        var call = peer.Client.CallAsync(Call("Slow"), cancellationToken: cts.Token);
        await peer.ReceiveAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task A_lost_peer_fails_every_pending_call_with_the_reason()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        var call = peer.Client.CallAsync(Call("Pending"), TimeSpan.FromMinutes(5));
        await peer.ReceiveAsync();
        peer.Disconnect();
        var e = await Assert.ThrowsAsync<DBusConnectionClosedException>(() => call);
        Assert.Contains("test.Iface.Pending", e.Message, StringComparison.Ordinal);
        Assert.Contains("closed the connection", e.Message, StringComparison.Ordinal);
        Assert.False(peer.Client.IsConnected);
        await Assert.ThrowsAsync<DBusConnectionClosedException>(() => peer.Client.CallAsync(Call("After")));
    }

    [Fact]
    public async Task Invalid_bytes_from_the_peer_end_the_connection_with_a_parse_error()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        await peer.SendRawAsync(Hex.Bytes("6c 02 00 07 00000000 01000000 00000000"));
        var reason = await peer.Client.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("sent invalid data: protocol version 7", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_the_receive_limit_ends_the_connection_before_it_is_buffered()
    {
        await using var peer = await ScriptedPeer.StartAsync(maxIncomingMessageLength: 4096);
        await peer.SendRawAsync(Hex.Bytes("6c 04 00 01 00001000 01000000 00000000"));
        var reason = await peer.Client.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("exceeds the limit of 4096 bytes", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_closes_exactly_once_and_keeps_the_first_reason()
    {
        var peer = await ScriptedPeer.StartAsync();
        peer.Disconnect();
        var reason = await peer.Client.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        await peer.Client.DisposeAsync();
        await peer.Client.DisposeAsync();
        Assert.Same(reason, await peer.Client.Closed);
    }

    [Fact]
    public async Task Signals_reach_only_the_subscriptions_they_match()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        var seen = new List<string>();
        var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await peer.Client.SubscribeAsync(
            new MatchRule { Interface = "test.Iface", Member = "Wanted" },
            m => { lock (seen) { seen.Add(m.GetBodyReader().ReadString()); } got.TrySetResult(); });
        await peer.SendAsync(OutgoingMessage.Signal("/test", "test.Iface", "Other", "s", Marshal.Body("s", "no")), 5);
        await peer.SendAsync(OutgoingMessage.Signal("/test", "test.Iface", "Wanted", "s", Marshal.Body("s", "yes")), 6);
        await got.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lock (seen)
        {
            Assert.Equal(["yes"], seen);
        }
    }

    [Fact]
    public async Task A_method_call_without_a_handler_gets_unknown_method()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        await peer.SendAsync(OutgoingMessage.MethodCall(null, "/x", "test.Iface", "Poke"), 9);
        var reply = await peer.ReceiveAsync();
        Assert.Equal(MessageType.Error, reply.Type);
        Assert.Equal("org.freedesktop.DBus.Error.UnknownMethod", reply.ErrorName);
        Assert.Equal(9u, reply.ReplySerial);
    }

    [Theory]
    [InlineData("unix:path=/run/dbus/system_bus_socket", "/run/dbus/system_bus_socket", null)]
    [InlineData("unix:abstract=/tmp/dbus-x,guid=0123", null, "/tmp/dbus-x")]
    [InlineData("tcp:host=a,port=1;unix:path=/a%20b", "/a b", null)]
    public void Addresses_are_parsed(string text, string? path, string? abstractName)
    {
        var address = Assert.Single(DBusAddress.Parse(text));
        Assert.Equal(path, address.Path);
        Assert.Equal(abstractName, address.AbstractName);
    }

    [Theory]
    [InlineData("nonsense", "no transport")]
    [InlineData("unix:path=/a%zz", "two hex digits")]
    [InlineData("tcp:host=a,port=1", "no usable D-Bus address")]
    [InlineData("unix:tmpdir=/tmp", "no usable D-Bus address")]
    public void Bad_addresses_say_why(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => DBusAddress.Parse(text));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_rules_quote_apostrophes()
    {
        var rule = new MatchRule { Sender = "org.freedesktop.systemd1", Member = "Job'Removed" };
        Assert.Equal("type='signal',sender='org.freedesktop.systemd1',member='Job'\\''Removed'", rule.ToString());
    }
}
