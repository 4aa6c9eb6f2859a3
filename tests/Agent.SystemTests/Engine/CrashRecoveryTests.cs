using UpdateAgent.Hosting;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// The agent is SIGKILLed at each point of an update. After it starts again, the unit runs the
/// old or the new verified image, healthy, and the history has no unfinished row and no gap.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class CrashRecoveryTests(TestbedFixture testbed, ITestOutputHelper output)
{
    [Theory]
    [InlineData("pull")]
    [InlineData("tag")]
    [InlineData("restart")]
    [InlineData("health-gate")]
    public async Task Killed_during_an_update_the_next_start_leaves_a_verified_healthy_image_and_a_complete_history(string point)
    {
        using var work = new EngineWorkspace(testbed, "kill-" + point.Replace("-", "", StringComparison.Ordinal));
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync(soak: "3s");
        await work.StartUnitAsync();
        var v2 = await work.ReleaseAsync("1.1.0");

        var killed = await work.CheckAsync(new Dictionary<string, string> { [FaultHooks.KillVariable] = point });
        output.WriteLine($"killed after {point}: exit {killed.Exit}\n{killed.Error}");
        Assert.Equal(137, killed.Exit);
        var interrupted = (await work.HistoryAsync()).EnumerateArray().Single();
        Assert.Equal("in progress", interrupted.GetProperty("status").GetString());
        output.WriteLine($"after the kill the unit runs {(await work.RunningDigestAsync() == v2 ? "v2" : "v1")} and is {await work.UnitStateAsync()}");

        var restarted = await work.CheckAsync();
        output.WriteLine(restarted.Report.ToString());
        output.WriteLine(restarted.Error);

        var running = await work.RunningDigestAsync();
        Assert.Contains(running, new[] { v1, v2 });
        Assert.Equal("active", await work.UnitStateAsync());
        var history = (await work.HistoryAsync()).EnumerateArray().ToList();
        var resolved = history.Single(r => r.GetProperty("id").GetInt64() == interrupted.GetProperty("id").GetInt64());
        Assert.Contains(resolved.GetProperty("status").GetString(), new[] { "updated", "abandoned" });
        history.ForEach(row => HistoryAssert.Record(row, killed: row.GetProperty("id").GetInt64() == interrupted.GetProperty("id").GetInt64()));
        // An interrupted update that was undone is tried again in the same run: it ends on v2.
        Assert.Equal(v2, running);
        Assert.Equal("updated", history[0].GetProperty("status").GetString());
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task Stopped_with_SIGTERM_during_the_health_gate_the_update_is_undone_before_exit_and_the_candidate_not_quarantined()
    {
        using var work = new EngineWorkspace(testbed, "term-gate");
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync(soak: "10s");
        await work.StartUnitAsync();
        // A unit whose stop takes a while, as real services' do: the rollback's restart outlasts a short exit grace.
        await testbed.ShellInGuestAsync($"mkdir -p /etc/systemd/system/{work.Unit}.d && printf '[Service]\\nExecStopPost=/bin/sleep 6\\n' > /etc/systemd/system/{work.Unit}.d/slow-stop.conf && systemctl daemon-reload");
        var v2 = await work.ReleaseAsync("1.1.0");

        // What systemctl stop sends. The process must not leave before the unit is back on a verified image.
        var stopped = await work.CheckAsync(new Dictionary<string, string> { [FaultHooks.TermVariable] = "health-gate" });
        output.WriteLine($"SIGTERM during the gate: exit {stopped.Exit}\n{stopped.Error}");
        var row = (await work.HistoryAsync()).EnumerateArray().Single();
        Assert.Equal("abandoned", row.GetProperty("status").GetString());
        HistoryAssert.Record(row, killed: true);
        Assert.Equal(v1, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());

        // Stopping is no verdict on the candidate: the next pass takes it.
        var again = await work.CheckUnitAsync(output);
        Assert.Equal("updated", again.Unit.GetProperty("status").GetString());
        Assert.Equal(v2, await work.RunningDigestAsync());
        await work.StopUnitAsync();
    }
}
