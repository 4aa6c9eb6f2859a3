using System.Text.Json;
using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Faults;

/// <summary>
/// The daemon, unlike <c>check</c>, keeps its connections to podman and the system bus and its
/// history store open from one pass to the next. Between two passes the guest's podman service is
/// killed, then its bus, then the daemon's state directory fills up; each time a new release
/// waits and a pass is asked for. Afterwards the daemon is still active, the unit runs the old or
/// the new release, and the next pass, with the part mended, moves the unit and leaves a complete
/// history.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class DaemonFaultTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string State = "/var/tmp/ua-daemon/state";

    [Fact]
    public async Task The_daemon_stays_active_through_podman_its_bus_and_its_disk_failing_between_passes()
    {
        using var work = new EngineWorkspace(testbed, "fdaemon");
        var current = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync(soak: "1s");
        await work.StartUnitAsync();
        var daemon = new GuestDaemon(testbed, work, soak: "1s");
        await daemon.InstallAsync();
        // The daemon's state on a 4 MB tmpfs, mounted before it opens its store; the host fills it through the guest's root.
        await testbed.ShellInGuestAsync($"mkdir -p {State} && mount -t tmpfs -o size=4m,mode=0700 tmpfs {State}");
        var stateSeenFromHost = $"/proc/{testbed.GuestPid}/root{State}";
        try
        {
            await daemon.StartAsync();
            // Its first pass adopts what runs; a check asked for meanwhile would be told the daemon is busy.
            await daemon.UntilIdleAsync("the daemon's first pass");
            var build = 1;
            foreach (var fault in new[] { "podman-killed", "dbus-killed", "state-full" })
            {
                var next = await work.ReleaseAsync($"1.{build++}.0");
                await FaultMatrixTests.BreakAsync(testbed, fault, stateSeenFromHost);
                var (exit, status) = await PassAsync(daemon, work, $"{fault}, between passes");
                await FaultMatrixTests.MendAsync(testbed, fault, stateSeenFromHost);
                Assert.Equal("active", await daemon.ActiveStateAsync());
                var running = await work.RunningDigestAsync();
                Assert.Contains(running, new[] { current, next });
                // Never "up to date" on the old release while a newer verified one waits.
                Assert.True(running == next ? status == "updated" : status is "failed" or "abandoned" or "undecided", $"{fault}: {status}, runs {(running == next ? "new" : "old")}");

                var (nextExit, nextStatus) = await PassAsync(daemon, work, "next pass");
                Assert.Equal(0, nextExit);
                Assert.Equal(next, await work.RunningDigestAsync());
                Assert.Equal("active", await daemon.ActiveStateAsync());
                Assert.Equal("active", await work.UnitStateAsync());
                await daemon.AssertHistoryCompleteAsync();
                await FaultMatrixTests.RecordRowAsync($"{fault} (daemon)", "between passes", testbed.Guest,
                    $"{status} (exit {exit}), runs {(running == next ? "new" : "old")}, daemon active", $"{nextStatus}, runs new");
                current = next;
            }
        }
        catch
        {
            output.WriteLine(await daemon.JournalAsync());
            throw;
        }
        finally
        {
            await testbed.RunInGuestAsync("systemctl", "stop", GuestDaemon.Unit);
            await testbed.RunInGuestAsync("umount", "-l", State);
            await daemon.RemoveAsync();
            await work.StopUnitAsync();
        }
    }

    /// <summary>
    /// The daemon's store is damaged while the daemon is stopped (a disk error, a bad restore). Every
    /// start checks the store: the daemon refuses to start, naming the file and what to do, and
    /// touches no unit; once the file is moved aside it starts and verifies what runs again.
    /// </summary>
    [Fact]
    [OnlyOnGuest(Guests.Debian13, "the store is the agent's own, the same whatever the guest")]
    public async Task A_daemon_whose_store_was_damaged_refuses_to_start_names_the_file_and_touches_no_unit()
    {
        using var work = new EngineWorkspace(testbed, "fdaestore");
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync(soak: "1s");
        await work.StartUnitAsync();
        var daemon = new GuestDaemon(testbed, work, soak: "1s");
        await daemon.InstallAsync();
        var store = $"/proc/{testbed.GuestPid}/root{State}/history.db";
        try
        {
            await daemon.StartAsync();
            await daemon.UntilIdleAsync("the daemon's first pass");
            // Stopped cleanly, the daemon leaves its whole store in history.db (the WAL checkpointed).
            await testbed.ShellInGuestAsync($"systemctl stop {GuestDaemon.Unit}");
            var v2 = await work.ReleaseAsync("1.1.0");
            HistoryCorruptionTests.Damage(store);

            var start = await daemon.TryStartAsync();
            var journal = await daemon.JournalAsync();
            output.WriteLine($"start on a damaged store: exit {start.ExitCode}\n{start.StandardError}\n{journal}");
            Assert.NotEqual(0, start.ExitCode);
            Assert.Contains($"{State}/history.db", journal, StringComparison.Ordinal);
            Assert.Contains("move it aside", journal, StringComparison.Ordinal);
            Assert.Equal(v1, await work.RunningDigestAsync());

            await testbed.ShellInGuestAsync($"for f in {State}/history.db*; do mv \"$f\" \"${{f%%history.db*}}history.db.damaged${{f##*history.db}}\"; done");
            await daemon.StartAsync();
            await daemon.UntilIdleAsync("the daemon's first pass on a new store");
            // The daemon's first pass on the new store verifies what runs again and takes the waiting release.
            var (exit, status) = await PassAsync(daemon, work, "moved aside");
            Assert.Equal(0, exit);
            Assert.Contains(status, new[] { "updated", "up to date" });
            Assert.Equal(v2, await work.RunningDigestAsync());
            await daemon.AssertHistoryCompleteAsync();
            await FaultMatrixTests.RecordRowAsync("history store damaged (daemon)", "while stopped", testbed.Guest,
                "refused to start, names the file, runs the last verified", "moved aside: updated, runs new");
        }
        finally
        {
            await daemon.RemoveAsync();
            await work.StopUnitAsync();
        }
    }

    /// <summary>A pass handed to the running daemon by <c>update-agent check</c> in the guest: its exit and the unit's status.</summary>
    private async Task<(int Exit, string? Status)> PassAsync(GuestDaemon daemon, EngineWorkspace work, string what)
    {
        var result = await daemon.CommandAsync("check", "--json");
        output.WriteLine($"{what}: exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        var report = JsonDocument.Parse(result.StandardOutput).RootElement;
        return (result.ExitCode, work.UnitReport(report).GetProperty("status").GetString());
    }
}
