namespace UpdateAgent.Systemd.Tests;

/// <summary>
/// A lost bus connection is replaced for the next call, against a real dbus-daemon reached through
/// a proxy that loses the manager's connection the way a restarted bus does.
/// </summary>
public sealed class SystemdReconnectTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_the_connection_is_lost_the_next_calls_and_jobs_go_through_a_new_one()
    {
        await using var bus = await FakeSystemdBus.StartAsync(throughProxy: true);
        var reasons = new List<string>();
        bus.Client.Reconnected = reasons.Add;
        Assert.Equal(JobResult.Done, (await bus.Client.RestartUnitAndWaitAsync("app.service", Bound)).Result);
        var first = bus.Client.UniqueName;

        bus.Proxy!.CutAll();
        var state = await bus.Client.GetUnitStateAsync("app.service").WaitAsync(Bound);
        Assert.Equal("active", state.ActiveState);
        Assert.NotEqual(first, bus.Client.UniqueName);
        // JobRemoved reaches only a connection that subscribed and added the match: a job that ends proves both were made again.
        Assert.Equal(JobResult.Done, (await bus.Client.RestartUnitAndWaitAsync("app.service", Bound)).Result);
        Assert.Equal(2, bus.Systemd.Subscribes);

        bus.Proxy.CutAll(); // a job as the first call after the loss
        bus.Systemd.JobBehaviour = _ => (null, "done");
        Assert.Equal(JobResult.Done, (await bus.Client.StartUnitAndWaitAsync("app.service", Bound)).Result);
        Assert.Equal(3, bus.Systemd.Subscribes);
        Assert.Equal(2, reasons.Count);
        Assert.Equal(3, bus.Proxy.Accepted);
    }

    [Fact]
    public async Task A_read_whose_connection_is_lost_under_it_is_asked_once_more_on_a_new_one()
    {
        await using var bus = await FakeSystemdBus.StartAsync(throughProxy: true);
        bus.Systemd.NeverAnswered.Add("GetUnit");
        bus.Client.CallTimeout = TimeSpan.FromMinutes(5);
        var call = bus.Client.GetUnitAsync("app.service");
        await bus.Systemd.UnansweredCallArrived.Task.WaitAsync(Bound);
        bus.Systemd.NeverAnswered.Remove("GetUnit");

        bus.Proxy!.CutAll();
        Assert.Equal(FakeSystemd.UnitPath, await call.WaitAsync(Bound));
        Assert.Equal(2, bus.Proxy.Accepted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_job_whose_connection_is_lost_fails_naming_the_unit_and_is_never_queued_again(bool replyArrived)
    {
        await using var bus = await FakeSystemdBus.StartAsync(throughProxy: true);
        bus.Systemd.JobBehaviour = _ => (null, null);
        if (!replyArrived)
        {
            bus.Systemd.NeverAnswered.Add("RestartUnit");
        }
        var restart = bus.Client.RestartUnitAndWaitAsync("web.service", TimeSpan.FromMinutes(5));
        await (replyArrived ? bus.Systemd.JobRequested.Task : bus.Systemd.UnansweredCallArrived.Task).WaitAsync(Bound);

        bus.Proxy!.CutAll();
        var e = await Assert.ThrowsAsync<SystemdJobException>(() => restart.WaitAsync(Bound));
        Assert.Equal("web.service", e.Unit);
        Assert.IsType<SystemdConnectionException>(e.InnerException);
        Assert.Equal(1, bus.Systemd.Jobs);

        bus.Systemd.NeverAnswered.Clear();
        bus.Systemd.JobBehaviour = _ => ("done", null);
        Assert.Equal(JobResult.Done, (await bus.Client.RestartUnitAndWaitAsync("web.service", Bound)).Result);
        Assert.Equal(2, bus.Systemd.Jobs);
    }

    [Fact]
    public async Task While_the_bus_is_away_calls_fail_as_connection_errors_and_the_same_manager_answers_when_it_is_back()
    {
        await using var bus = await FakeSystemdBus.StartAsync(throughProxy: true);
        bus.Proxy!.Refusing = true;
        bus.Proxy.CutAll();

        var read = await Assert.ThrowsAsync<SystemdConnectionException>(() => bus.Client.GetUnitAsync("app.service").WaitAsync(Bound));
        Assert.Contains("org.freedesktop.systemd1.Manager.GetUnit", read.Message, StringComparison.Ordinal);
        Assert.Contains(bus.Proxy.Address, read.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SystemdConnectionException>(() => bus.Client.PingAsync().WaitAsync(Bound));
        var job = await Assert.ThrowsAsync<SystemdJobException>(() => bus.Client.RestartUnitAndWaitAsync("web.service", Bound));
        Assert.IsType<SystemdConnectionException>(job.InnerException);
        Assert.Equal(0, bus.Systemd.Jobs);

        bus.Proxy.Refusing = false;
        await bus.Client.PingAsync().WaitAsync(Bound);
        Assert.Equal(FakeSystemd.UnitPath, await bus.Client.GetUnitAsync("app.service").WaitAsync(Bound));
        Assert.Equal(JobResult.Done, (await bus.Client.RestartUnitAndWaitAsync("web.service", Bound)).Result);
    }

    [Fact]
    public async Task Callers_that_find_the_connection_lost_together_share_one_new_connection()
    {
        await using var bus = await FakeSystemdBus.StartAsync(throughProxy: true);
        var reconnects = 0;
        bus.Client.Reconnected = _ => Interlocked.Increment(ref reconnects);
        bus.Proxy!.CutAll();

        var states = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => bus.Client.GetUnitStateAsync("app.service"))).WaitAsync(Bound);
        Assert.All(states, s => Assert.Equal("active", s.ActiveState));
        Assert.Equal(2, bus.Proxy.Accepted);
        Assert.Equal(1, reconnects);
    }

    [Fact]
    public async Task A_disposed_manager_opens_no_new_connection()
    {
        await using var bus = await FakeSystemdBus.StartAsync(throughProxy: true);
        bus.Proxy!.CutAll();
        await bus.Client.DisposeAsync();
        var e = await Assert.ThrowsAsync<SystemdConnectionException>(() => bus.Client.GetUnitStateAsync("app.service"));
        Assert.Contains("disposed", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, bus.Proxy.Accepted);
    }

    [Fact]
    public async Task Ping_answers_while_systemd_is_on_the_bus_and_fails_by_name_when_it_is_not()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        await bus.Client.PingAsync();
        await bus.Systemd.LeaveBusAsync();
        var e = await Assert.ThrowsAsync<SystemdErrorReplyException>(() => bus.Client.PingAsync());
        Assert.Equal("org.freedesktop.DBus.Error.ServiceUnknown", e.ErrorName);
        Assert.Contains("org.freedesktop.DBus.Peer.Ping", e.Message, StringComparison.Ordinal);
    }
}
