using System.Text.Json;
using UpdateAgent.Hosting;
using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Faults;

/// <summary>
/// A real update is held after one of its steps while something it depends on breaks — the guest's
/// podman service is killed, or its system bus is, or the agent's state directory fills up — and
/// then goes on; or the agent's wall clock steps an hour forward or back; or the agent is stopped or
/// killed. The steps are those of an update and the recovery of one a killed agent left half done.
/// Whatever happens, afterwards: the unit runs the old or the new release, and when it runs the new one the
/// report says updated or says why not; no history record is left in progress or with an intent
/// and no outcome; no unhandled exception; and the next pass, with the broken part back, is clean.
/// <c>bench/faults.sh</c> turns these cells into the table in bench/faults.md.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class FaultMatrixTests(TestbedFixture testbed, ITestOutputHelper output)
{
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

    /// <summary>The wall clock stepped forward and back after each step of an update and of a recovery.</summary>
    public static TheoryData<string, string> ClockCells()
    {
        var cells = new TheoryData<string, string>();
        foreach (var fault in new[] { "clock-forward", "clock-back" })
        {
            foreach (var point in new[] { "resolve", "verify", "pull", "tag", "restart", "health-gate", "rollback", "recovery" })
            {
                cells.Add(fault, point);
            }
        }
        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public Task A_fault_between_two_steps_leaves_a_verified_unit_a_complete_history_and_a_clean_next_pass(string fault, string point) =>
        RunCellAsync(fault, point);

    /// <summary>
    /// podman or the bus dies once the candidate is resolved or verified, with the agent's
    /// connections to both open: the pull and the restart after it must reconnect.
    /// </summary>
    [Theory]
    [InlineData("podman-killed", "resolve")]
    [InlineData("podman-killed", "verify")]
    [InlineData("dbus-killed", "resolve")]
    [InlineData("dbus-killed", "verify")]
    [OnlyOnGuest(Guests.Debian13, "before the pull the agent has only read from podman and the bus; a call on a connection whose server died is met on both guests after pull and tag")]
    public Task A_fault_before_the_host_changes_leaves_the_unit_verified_and_the_next_pass_clean(string fault, string point) =>
        RunCellAsync(fault, point);

    /// <summary>
    /// A killed agent left an update half done (the image tag moved, the unit not restarted); the
    /// next pass's recovery, which puts the previous image back, is struck once it has found the
    /// units: podman or the bus dies, the agent is stopped or killed again, its disk fills (and its
    /// clock steps, with the other clock cells). The update is still undone, or left for the pass
    /// after, and never half kept.
    /// </summary>
    [Theory]
    [InlineData("podman-killed", "recovery")]
    [InlineData("dbus-killed", "recovery")]
    public Task A_fault_during_recovery_leaves_a_verified_unit_a_complete_history_and_a_clean_next_pass(string fault, string point) =>
        RunCellAsync(fault, point);

    /// <summary>The recovery's faults that meet the agent's own code (its signals and disk; its clock with the other clock cells).</summary>
    [Theory]
    [InlineData("sigterm", "recovery")]
    [InlineData("sigkill", "recovery")]
    [InlineData("state-full", "recovery")]
    [OnlyOnGuest(Guests.Debian13, "the agent's own signal handling and disk, the same whatever the guest")]
    public Task The_agent_stopped_or_starved_during_recovery_leaves_a_verified_unit_and_the_next_pass_resolves_the_rest(string fault, string point) =>
        RunCellAsync(fault, point);

    /// <summary>
    /// The wall clock steps an hour forward or back after any step (during the health gate's soak
    /// when after the restart), and stays stepped for the next pass: history stamps jump, the soak
    /// and every deadline do not.
    /// </summary>
    [Theory]
    [MemberData(nameof(ClockCells))]
    [OnlyOnGuest(Guests.Debian13, "the agent's clock is the host's, whatever the guest")]
    public Task A_wall_clock_stepped_an_hour_mid_update_leaves_a_verified_unit_a_complete_history_and_a_clean_next_pass(string fault, string point) =>
        RunCellAsync(fault, point);

    /// <summary>
    /// The agent's state directory (history, journal, ledger) fills up after a step: every later
    /// write fails with "no space". The agent must not act on the host without its journal, must
    /// say why, and must pick up where it was once there is space again.
    /// </summary>
    [Theory]
    [InlineData("state-full", "resolve")]
    [InlineData("state-full", "verify")]
    [InlineData("state-full", "pull")]
    [InlineData("state-full", "tag")]
    [InlineData("state-full", "restart")]
    [InlineData("state-full", "health-gate")]
    [InlineData("state-full", "rollback")]
    [OnlyOnGuest(Guests.Debian13, "the state directory is the agent's, on the host, whatever the guest")]
    public Task A_full_state_directory_mid_update_leaves_a_verified_unit_a_complete_history_and_a_clean_next_pass(string fault, string point) =>
        RunCellAsync(fault, point);

    /// <summary>
    /// The agent is stopped (SIGTERM, as <c>systemctl stop</c> sends) or killed (SIGKILL) right after a
    /// step: the steps <c>CrashRecoveryTests</c> does not cover on both guests. A stop finishes or
    /// undoes what it began before it exits; a kill leaves it to the next start, which resolves it.
    /// </summary>
    [Theory]
    [InlineData("sigterm", "resolve")]
    [InlineData("sigterm", "verify")]
    [InlineData("sigterm", "pull")]
    [InlineData("sigterm", "tag")]
    [InlineData("sigterm", "restart")]
    [InlineData("sigterm", "rollback")]
    [InlineData("sigkill", "resolve")]
    [InlineData("sigkill", "verify")]
    [InlineData("sigkill", "rollback")]
    [OnlyOnGuest(Guests.Debian13, "the agent's own signal handling, the same whatever the guest; SIGKILL at pull, tag, restart and health gate runs on both")]
    public Task Stopped_or_killed_after_a_step_leaves_a_verified_unit_and_the_next_pass_resolves_the_rest(string fault, string point) =>
        RunCellAsync(fault, point);

    private async Task RunCellAsync(string fault, string point)
    {
        using var work = new EngineWorkspace(testbed, "f" + fault[..3] + point[..3]);
        await using var small = fault == "state-full" ? await SmallDiskAsync(work.StateDirectory) : null;
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync(soak: "1s");
        await work.StartUnitAsync();
        try
        {
            // The rollback is reached only through a candidate that fails its health gate.
            var v2 = await work.ReleaseAsync("1.1.0", healthy: point != "rollback");
            if (point == "recovery")
            {
                // What recovery starts from: an agent killed with the tag moved and the unit not restarted.
                var (killed, _, killedError) = await work.CheckAsync(new Dictionary<string, string> { [FaultHooks.KillVariable] = "tag" });
                output.WriteLine($"killed after tag: exit {killed}\n{killedError}");
                Assert.Equal(137, killed);
            }
            var step = fault switch { "clock-forward" => "3600", "clock-back" => "-3600", _ => null };
            var hook = fault switch
            {
                "sigterm" => FaultHooks.TermVariable,
                "sigkill" => FaultHooks.KillVariable,
                _ when step is not null => FaultHooks.ClockStepVariable,
                _ => null,
            };
            var (exit, report, error) = hook is null
                ? await PassBrokenAfterAsync(work, fault, point)
                : await work.CheckAsync(new Dictionary<string, string> { [hook] = step is null ? point : $"{point}:{step}" });
            output.WriteLine($"{fault} after {point}: exit {exit}\n{report}\n{error}");
            await MendAsync(testbed, fault, work.StateDirectory);

            var (status, running) = fault == "sigkill" ? await AssertKilledAsync(work, exit, v1, v2)
                : report.ValueKind == JsonValueKind.Undefined ? await AssertStoppedEarlyAsync(work, exit, error, v1)
                : await AssertFaultyPassAsync(work, fault, exit, report, error, v1, v2);

            // With the broken part back, the next pass resolves whatever is left and ends where a pass
            // without the fault would. A stepped clock stays stepped.
            var (nextExit, next, nextError) = await work.CheckAsync(step is null ? null : new Dictionary<string, string> { [FaultHooks.ClockStepVariable] = $"start:{step}" });
            output.WriteLine($"next pass: exit {nextExit}\n{next}\n{nextError}");
            var expected = point == "rollback" ? v1 : v2;
            Assert.Equal(expected, await work.RunningDigestAsync());
            var nextStatus = work.UnitReport(next).GetProperty("status").GetString();
            Assert.Contains(nextStatus, point == "rollback" ? new[] { "up to date", "restored", "quarantined" } : new[] { "up to date", "updated" });
            Assert.Equal("active", await work.UnitStateAsync());
            HistoryAssert.Complete(await work.HistoryAsync());
            await RecordCellAsync(fault, point, $"{status} (exit {exit}), runs {(running == v2 ? "new" : "old")}", $"{nextStatus}, runs {(expected == v2 ? "new" : "old")}");
        }
        finally
        {
            // A cell that failed must not leave its unit to the passes of the tests after it.
            await work.StopUnitAsync();
        }
    }

    /// <summary>
    /// A pass that survived its fault: on the old or the new release, and on the new one only when
    /// reported updated or saying why not; the history complete, or (a full disk) saying it could not be.
    /// </summary>
    private static async Task<(string? Status, string Running)> AssertFaultyPassAsync(EngineWorkspace work, string fault, int exit, JsonElement report, string error, string old, string candidate)
    {
        var (running, unit) = await AssertSurvivedAsync(work, exit, report, error, old, candidate);
        var status = unit.GetProperty("status").GetString();
        var detail = unit.GetProperty("detail").GetString() ?? "";
        if (fault == "sigterm")
        {
            // A stop is no verdict: what it interrupted is finished or abandoned, never called failed.
            Assert.NotEqual("failed", status);
        }
        if (running == candidate && status != "updated")
        {
            // Not on the ledger's digest: then the report must say so, with the reason.
            Assert.Contains(status, new[] { "failed", "unverified" });
            Assert.False(string.IsNullOrWhiteSpace(detail));
        }
        var history = await work.HistoryAsync();
        if (fault == "state-full" && history.EnumerateArray().Any(r => r.GetProperty("status").GetString() == "in progress"))
        {
            // A full disk can leave a record open: the report says so, and the next pass closes it.
            Assert.Contains("the history could not be", detail, StringComparison.Ordinal);
        }
        else
        {
            HistoryAssert.Complete(history);
        }
        return (status, running);
    }

    /// <summary>A pass stopped in a step that changes nothing: no report, but a line that says so, exit 3, and the unit untouched.</summary>
    private static async Task<(string? Status, string Running)> AssertStoppedEarlyAsync(EngineWorkspace work, int exit, string error, string old)
    {
        Assert.Equal(3, exit);
        Assert.Contains("stopped; the pass ended before its report", error, StringComparison.Ordinal);
        Assert.Equal(old, await work.RunningDigestAsync());
        HistoryAssert.Complete(await work.HistoryAsync());
        return ("stopped before its report", old);
    }

    /// <summary>A killed pass: no report and perhaps a record in progress, which the next pass must resolve.</summary>
    private static async Task<(string? Status, string Running)> AssertKilledAsync(EngineWorkspace work, int exit, string old, string candidate)
    {
        Assert.Equal(137, exit);
        var running = await work.RunningDigestAsync();
        Assert.Contains(running, new[] { old, candidate });
        return ("killed", running);
    }

    /// <summary>
    /// What every faulty pass must leave: an exit of its own (no signal, no unhandled exception) and
    /// the unit on the old or the new release. Returns what runs and the unit's report.
    /// </summary>
    internal static async Task<(string Running, JsonElement Unit)> AssertSurvivedAsync(EngineWorkspace work, int exit, JsonElement report, string error, string old, string candidate)
    {
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        Assert.True(exit is >= 0 and < 128, $"the pass ended by a signal: exit {exit}");
        var running = await work.RunningDigestAsync();
        Assert.Contains(running, new[] { old, candidate });
        return (running, work.UnitReport(report));
    }

    /// <summary>A pass held after <paramref name="point"/> while <paramref name="fault"/> breaks its part, then let go on.</summary>
    private async Task<(int Exit, JsonElement Report, string Error)> PassBrokenAfterAsync(EngineWorkspace work, string fault, string point)
    {
        var pause = Path.Combine(work.Trust.Folder, "paused");
        var pass = work.CheckAsync(new Dictionary<string, string> { [FaultHooks.PauseVariable] = $"{point}:{pause}" });
        await WaitUntilPausedAsync(pause, pass);
        await BreakAsync(testbed, fault, work.StateDirectory);
        File.Delete(pause);
        return await pass;
    }

    private async Task RecordCellAsync(string fault, string point, string pass, string next)
    {
        await RecordRowAsync(fault, $"after {point}", testbed.Guest, pass, next);
        output.WriteLine($"cell held: {fault} after {point}");
    }

    /// <summary>bench/faults.sh collects the cells that held, one table row each, from the file it names.</summary>
    internal static async Task RecordRowAsync(string fault, string when, string guest, string pass, string next)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_AGENT_FAULTS_TABLE") is { Length: > 0 } table)
        {
            await File.AppendAllTextAsync(table, $"| {fault} | {when} | {guest} | {pass} | {next} | held |\n");
        }
    }

    internal static async Task WaitUntilPausedAsync(string pause, Task<(int Exit, JsonElement Report, string Error)> pass)
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

    /// <summary>A 4 MB tmpfs on <paramref name="folder"/>, removed again when disposed.</summary>
    private static async Task<SmallDisk> SmallDiskAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        (await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", folder])).EnsureSuccess("mount tmpfs");
        return new SmallDisk(folder);
    }

    private sealed class SmallDisk(string folder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            (await ProcessRunner.RunAsync("umount", ["-l", folder])).EnsureSuccess("umount tmpfs");
    }

    /// <summary>Breaks the part <paramref name="fault"/> names: the guest's podman service or bus killed, or <paramref name="stateDirectory"/> (a small tmpfs) filled.</summary>
    internal static async Task BreakAsync(TestbedFixture testbed, string fault, string stateDirectory)
    {
        switch (fault)
        {
            case "state-full":
                // Whatever space is left goes to a filler file, to the last block.
                await ProcessRunner.RunAsync("sh", ["-c", $"dd if=/dev/zero of={stateDirectory}/filler bs=64k 2>/dev/null; dd if=/dev/zero of={stateDirectory}/filler2 bs=512 2>/dev/null; df -k {stateDirectory}"]);
                break;
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
    internal static async Task MendAsync(TestbedFixture testbed, string fault, string stateDirectory)
    {
        if (fault == "state-full")
        {
            File.Delete(Path.Combine(stateDirectory, "filler"));
            File.Delete(Path.Combine(stateDirectory, "filler2"));
            return;
        }
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
}
