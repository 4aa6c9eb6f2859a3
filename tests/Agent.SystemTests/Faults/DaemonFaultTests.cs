using System.Text.Json;
using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Podman;
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
            await Poll.UntilAsync(daemon.StatusTextAsync, t => t.StartsWith("idle;", StringComparison.Ordinal), TimeSpan.FromMinutes(2), "the daemon's first pass");
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
                var history = (await daemon.CommandAsync("history", work.Unit, "--json")).EnsureSuccess("update-agent history in the guest");
                HistoryAssert.Complete(JsonDocument.Parse(history.StandardOutput).RootElement);
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

    /// <summary>A pass handed to the running daemon by <c>update-agent check</c> in the guest: its exit and the unit's status.</summary>
    private async Task<(int Exit, string? Status)> PassAsync(GuestDaemon daemon, EngineWorkspace work, string what)
    {
        var result = await daemon.CommandAsync("check", "--json");
        output.WriteLine($"{what}: exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        var report = JsonDocument.Parse(result.StandardOutput).RootElement;
        return (result.ExitCode, work.UnitReport(report).GetProperty("status").GetString());
    }
}
