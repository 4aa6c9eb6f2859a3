using UpdateAgent.DBus;
using UpdateAgent.Testing;

namespace UpdateAgent.Systemd.Tests;

/// <summary>Following jobs to their end, against a real dbus-daemon and a scripted systemd.</summary>
public sealed class SystemdManagerTests
{
    [Fact]
    public async Task A_job_that_ends_before_its_reply_arrives_is_still_seen()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        await using var systemd = await FakeSystemd.StartAsync(daemon.Address);
        systemd.JobBehaviour = _ => ("done", null);
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        var outcome = await new SystemdManager(client).RestartUnitAndWaitAsync("app.service", TimeSpan.FromSeconds(30));
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
        await using var daemon = await DBusDaemon.StartAsync();
        await using var systemd = await FakeSystemd.StartAsync(daemon.Address);
        systemd.JobBehaviour = _ => (null, word);
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        var outcome = await new SystemdManager(client).RestartUnitAndWaitAsync("app.service", TimeSpan.FromSeconds(30));
        Assert.Equal(expected, outcome.Result);
        Assert.Equal(word, outcome.ResultWord);
        Assert.False(outcome.Succeeded);
    }

    [Fact]
    public async Task A_job_that_never_ends_fails_at_the_timeout_naming_the_unit()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        await using var systemd = await FakeSystemd.StartAsync(daemon.Address);
        systemd.JobBehaviour = _ => (null, null);
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        var e = await Assert.ThrowsAsync<SystemdJobException>(() =>
            new SystemdManager(client).RestartUnitAndWaitAsync("web.service", TimeSpan.FromMilliseconds(300)));
        Assert.Equal("web.service", e.Unit);
        Assert.Contains("RestartUnit web.service: the job did not finish within 0.3 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_lost_while_waiting_for_the_job_fails_within_the_timeout_naming_the_unit()
    {
        await using var daemon = await DBusDaemon.StartAsync();
        await using var systemd = await FakeSystemd.StartAsync(daemon.Address);
        systemd.JobBehaviour = _ => (null, null);
        await using var client = await DBusConnection.ConnectAsync(daemon.Address);
        var restart = new SystemdManager(client).RestartUnitAndWaitAsync("web.service", TimeSpan.FromMinutes(5));
        await systemd.JobRequested.Task.WaitAsync(TimeSpan.FromSeconds(30));
        daemon.Kill();
        var e = await Assert.ThrowsAsync<SystemdJobException>(() => restart.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("web.service", e.Unit);
        Assert.Contains("web.service", e.Message, StringComparison.Ordinal);
        Assert.Contains("lost", e.Message, StringComparison.Ordinal);
    }
}
