using System.Text.Json;
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

        var killed = await work.CheckAsync(new Dictionary<string, string> { ["UPDATE_AGENT_FAULT_KILL_AFTER"] = point });
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
        Assert.All(history, row => Assert.NotEqual("in progress", row.GetProperty("status").GetString()));
        var resolved = history.Single(r => r.GetProperty("id").GetInt64() == interrupted.GetProperty("id").GetInt64());
        Assert.Contains(resolved.GetProperty("status").GetString(), new[] { "updated", "abandoned" });
        AssertNoGap(resolved);
        // An interrupted update that was undone is tried again in the same run: it ends on v2.
        Assert.Equal(v2, running);
        Assert.Equal("updated", history[0].GetProperty("status").GetString());
        await work.StopUnitAsync();
    }

    // Every step with an intent has its outcome: nothing was left half-recorded.
    private static void AssertNoGap(JsonElement row)
    {
        var steps = row.GetProperty("steps").EnumerateArray().Select(s => (Step: s.GetProperty("step").GetString(), Phase: s.GetProperty("phase").GetString())).ToList();
        var intents = steps.Where(s => s.Phase == "intent").Select(s => s.Step).ToList();
        var outcomes = steps.Where(s => s.Phase == "outcome").Select(s => s.Step).ToList();
        foreach (var step in intents.Distinct())
        {
            Assert.True(outcomes.Contains(step) || step == intents[^1] && row.GetProperty("status").GetString() != "in progress",
                $"step {step} has an intent but no outcome: {string.Join(", ", steps)}");
        }
    }
}
