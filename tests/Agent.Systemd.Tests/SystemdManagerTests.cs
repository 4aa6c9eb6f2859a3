using UpdateAgent.Testing;

namespace UpdateAgent.Systemd.Tests;

/// <summary>Following jobs to their end, against a real dbus-daemon and a scripted systemd.</summary>
public sealed class SystemdManagerTests
{
    [Fact]
    public async Task A_job_that_ends_before_its_reply_arrives_is_still_seen()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.JobBehaviour = _ => ("done", null);
        var outcome = await bus.Client.RestartUnitAndWaitAsync("app.service", TimeSpan.FromSeconds(30));
        Assert.True(outcome.Succeeded);
        Assert.Equal("done", outcome.ResultWord);
        Assert.Equal("abcd", outcome.StateAfter.InvocationId);
        Assert.Equal(2u, outcome.StateAfter.RestartCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), outcome.StateAfter.ActiveEnterTimestamp);
    }

    [Theory]
    [InlineData("failed", JobResult.Failed)]
    [InlineData("timeout", JobResult.Timeout)]
    [InlineData("canceled", JobResult.Canceled)]
    [InlineData("dependency", JobResult.Dependency)]
    [InlineData("skipped", JobResult.Skipped)]
    [InlineData("something-new", JobResult.Unknown)]
    public async Task Only_done_is_success_and_every_result_is_reported(string word, JobResult expected)
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.JobBehaviour = _ => (null, word);
        var outcome = await bus.Client.RestartUnitAndWaitAsync("app.service", TimeSpan.FromSeconds(30));
        Assert.Equal(expected, outcome.Result);
        Assert.Equal(word, outcome.ResultWord);
        Assert.False(outcome.Succeeded);
    }

    [Fact]
    public async Task Several_jobs_on_one_connection_each_get_their_own_result()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.JobBehaviour = unit => unit == "a.service" ? ("done", null) : (null, "failed");
        Assert.Equal(JobResult.Done, (await bus.Client.StartUnitAndWaitAsync("a.service", TimeSpan.FromSeconds(30))).Result);
        Assert.Equal(JobResult.Failed, (await bus.Client.StopUnitAndWaitAsync("b.service", TimeSpan.FromSeconds(30))).Result);
        Assert.Equal(JobResult.Done, (await bus.Client.RestartUnitAndWaitAsync("a.service", TimeSpan.FromSeconds(30))).Result);
    }

    [Fact]
    public async Task A_job_that_never_ends_fails_at_the_timeout_naming_the_unit()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.JobBehaviour = _ => (null, null);
        var e = await Assert.ThrowsAsync<SystemdJobException>(() => bus.Client.RestartUnitAndWaitAsync("web.service", TimeSpan.FromMilliseconds(300)));
        Assert.Equal("web.service", e.Unit);
        Assert.Contains("RestartUnit web.service: the job did not finish within 0.3 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_lost_while_waiting_for_the_job_fails_within_the_timeout_naming_the_unit()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.JobBehaviour = _ => (null, null);
        var restart = bus.Client.RestartUnitAndWaitAsync("web.service", TimeSpan.FromMinutes(5));
        await bus.Systemd.JobRequested.Task.WaitAsync(TimeSpan.FromSeconds(30));
        bus.Daemon.Kill();
        var e = await Assert.ThrowsAsync<SystemdJobException>(() => restart.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("web.service", e.Unit);
        Assert.Contains("web.service", e.Message, StringComparison.Ordinal);
        Assert.Contains("lost", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_lost_before_the_job_is_queued_fails_naming_the_unit()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        bus.Systemd.NeverAnswered.Add("RestartUnit");
        var restart = bus.Client.RestartUnitAndWaitAsync("web.service", TimeSpan.FromMinutes(5));
        await bus.Systemd.UnansweredCallArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        bus.Daemon.Kill();
        var e = await Assert.ThrowsAsync<SystemdJobException>(() => restart.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("web.service", e.Unit);
        Assert.IsType<SystemdConnectionException>(e.InnerException);
        Assert.Contains("RestartUnit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_systemd_refuses_fails_with_the_error_name()
    {
        await using var bus = await FakeSystemdBus.StartAsync();
        await bus.Systemd.LeaveBusAsync(); // systemd gone: the bus answers ServiceUnknown on its behalf
        var e = await Assert.ThrowsAsync<SystemdJobException>(() => bus.Client.RestartUnitAndWaitAsync("web.service", TimeSpan.FromSeconds(30)));
        Assert.Equal("web.service", e.Unit);
        Assert.Contains("systemd refused: org.freedesktop.DBus.Error.ServiceUnknown", e.Message, StringComparison.Ordinal);
    }
}
