using System.Text.Json;
using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Faults;

/// <summary>
/// A real update is held after one of its steps while something it depends on breaks in the
/// guest — the podman service is killed, or the system bus is — and then goes on. Whatever
/// happens, afterwards: the unit runs the old or the new release, and when it runs the new one the
/// report says updated or says why not; no history record is left in progress or with an intent
/// and no outcome; no unhandled exception; and the next pass, with the broken part back, is clean.
/// <c>bench/faults.sh</c> turns these cells into the table in bench/faults.md.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class FaultMatrixTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string PauseVariable = "UPDATE_AGENT_FAULT_PAUSE_AFTER";

    /// <summary>Every cell: the fault, and the step after which it strikes.</summary>
    public static TheoryData<string, string> Cells()
    {
        var cells = new TheoryData<string, string>();
        foreach (var fault in new[] { "podman-killed", "dbus-killed" })
        {
            foreach (var point in new[] { "pull", "tag", "restart", "health-gate", "rollback" })
            {
                cells.Add(fault, point);
            }
        }
        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task A_fault_between_two_steps_leaves_a_verified_unit_a_complete_history_and_a_clean_next_pass(string fault, string point)
    {
        using var work = new EngineWorkspace(testbed, "f" + fault[..3] + point[..3]);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync(soak: "2s");
        await work.StartUnitAsync();
        // The rollback is reached only through a candidate that fails its health gate.
        var v2 = await work.ReleaseAsync("1.1.0", healthy: point != "rollback");
        var pause = Path.Combine(work.Trust.Folder, "paused");

        var pass = work.CheckAsync(new Dictionary<string, string> { [PauseVariable] = $"{point}:{pause}" });
        await WaitUntilPausedAsync(pause, pass);
        await BreakAsync(fault);
        File.Delete(pause);
        var (exit, report, error) = await pass;
        output.WriteLine($"{fault} after {point}: exit {exit}\n{report}\n{error}");
        await MendAsync(fault);

        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        Assert.True(exit is >= 0 and < 128, $"the pass ended by a signal: exit {exit}");
        var running = await work.RunningDigestAsync();
        Assert.Contains(running, new[] { v1, v2 });
        var unit = work.UnitReport(report);
        var status = unit.GetProperty("status").GetString();
        if (running == v2 && status != "updated")
        {
            // Not on the ledger's digest: then the report must say so, with the reason.
            Assert.Contains(status, new[] { "failed", "unverified" });
            Assert.False(string.IsNullOrWhiteSpace(unit.GetProperty("detail").GetString()));
        }
        AssertComplete(await work.HistoryAsync());

        // With the broken part back, the next pass resolves whatever is left and ends where a pass without the fault would.
        var (nextExit, next, nextError) = await work.CheckAsync();
        output.WriteLine($"next pass: exit {nextExit}\n{next}\n{nextError}");
        var expected = point == "rollback" ? v1 : v2;
        Assert.Equal(expected, await work.RunningDigestAsync());
        Assert.Contains(work.UnitReport(next).GetProperty("status").GetString(),
            point == "rollback" ? new[] { "up to date", "restored", "quarantined" } : new[] { "up to date", "updated" });
        Assert.Equal("active", await work.UnitStateAsync());
        AssertComplete(await work.HistoryAsync());
        await work.StopUnitAsync();
        await RecordCellAsync(fault, point, $"{status} (exit {exit}), runs {(running == v2 ? "new" : "old")}", $"{work.UnitReport(next).GetProperty("status").GetString()}, runs {(expected == v2 ? "new" : "old")}");
    }

    /// <summary>bench/faults.sh collects the cells that held, one table row each, from the file it names.</summary>
    private async Task RecordCellAsync(string fault, string point, string pass, string next)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_AGENT_FAULTS_TABLE") is { Length: > 0 } table)
        {
            await File.AppendAllTextAsync(table, $"| {fault} | {point} | {testbed.Guest} | {pass} | {next} | held |\n");
        }
        output.WriteLine($"cell held: {fault} after {point}");
    }

    private static async Task WaitUntilPausedAsync(string pause, Task<(int Exit, JsonElement Report, string Error)> pass)
    {
        var until = DateTime.UtcNow.AddMinutes(3);
        while (!File.Exists(pause))
        {
            if (pass.IsCompleted)
            {
                var (exit, _, error) = await pass;
                Assert.Fail($"the pass ended (exit {exit}) before it reached the step: {error}");
            }
            Assert.True(DateTime.UtcNow < until, "the pass did not reach the step in 3 minutes");
            await Task.Delay(100);
        }
    }

    private async Task BreakAsync(string fault)
    {
        switch (fault)
        {
            case "podman-killed":
                // The API service dies with the agent's connection open; its socket starts a new one on the next call.
                await testbed.ShellInGuestAsync("systemctl kill --signal=SIGKILL podman.service; systemctl reset-failed podman.service || true");
                break;
            case "dbus-killed":
                await testbed.ShellInGuestAsync("systemctl kill --signal=SIGKILL dbus.service; sleep 0.5");
                break;
        }
    }

    /// <summary>
    /// Brings the broken part back, and waits until systemd and logind answer on the bus again: the
    /// tests after this one need them. logind does not take its name back on a new bus by itself.
    /// </summary>
    private async Task MendAsync(string fault)
    {
        if (fault != "dbus-killed")
        {
            return;
        }
        await testbed.ShellInGuestAsync("""
            systemctl reset-failed dbus.service || true
            systemctl start dbus.socket dbus.service
            answers() { busctl --system call "$1" "$2" org.freedesktop.DBus.Peer Ping >/dev/null 2>&1; }
            for i in $(seq 1 100); do
              answers org.freedesktop.systemd1 /org/freedesktop/systemd1 && break
              sleep 0.2
            done
            answers org.freedesktop.systemd1 /org/freedesktop/systemd1 || { echo "systemd does not answer on the bus again" >&2; exit 1; }
            systemctl try-restart systemd-logind.service
            for i in $(seq 1 100); do
              answers org.freedesktop.login1 /org/freedesktop/login1 && exit 0
              sleep 0.2
            done
            echo "logind does not answer on the bus again" >&2; exit 1
            """);
    }

    // No record in progress, and every step with an intent has its outcome.
    private static void AssertComplete(JsonElement history)
    {
        foreach (var row in history.EnumerateArray())
        {
            Assert.NotEqual("in progress", row.GetProperty("status").GetString());
            var steps = row.GetProperty("steps").EnumerateArray().Select(s => (Step: s.GetProperty("step").GetString(), Phase: s.GetProperty("phase").GetString())).ToList();
            foreach (var step in steps.Where(s => s.Phase == "intent").Select(s => s.Step).Distinct())
            {
                Assert.True(steps.Any(s => s.Step == step && s.Phase == "outcome"), $"record {row.GetProperty("id")}: step {step} has an intent but no outcome");
            }
        }
    }
}
