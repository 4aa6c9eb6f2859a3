using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// The daemon as a service of the guest's systemd, stopped, restarted and killed during a health
/// gate of a unit whose stop takes 6 s while the daemon's own stop timeout is 4 s. Afterwards the
/// unit runs its old or its new verified image, the candidate is not quarantined, the history has
/// no record in progress and no gap; after a kill, recovery runs before READY=1 and the API tells
/// a caller so instead of letting it do the work itself.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class DaemonLifecycleTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Stop_restart_and_kill_during_a_health_gate_leave_a_verified_image_and_a_whole_history()
    {
        using var work = new EngineWorkspace(testbed, "daemon");
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        await testbed.ShellInGuestAsync($"mkdir -p /etc/systemd/system/{work.Unit}.d && printf '[Service]\\nExecStopPost=/bin/sleep 6\\n' > /etc/systemd/system/{work.Unit}.d/slow-stop.conf && systemctl daemon-reload");
        var daemon = new GuestDaemon(testbed, work, soak: "15s");
        await daemon.InstallAsync();
        try
        {
            // The first pass adopts v1; v2 arrives; the next pass is in v2's gate when systemctl stop comes.
            await daemon.StartAsync();
            await daemon.UntilIdleAsync();
            var v2 = await work.ReleaseAsync("1.1.0");
            await daemon.CheckInBackgroundAsync();
            await UntilInGateAsync(daemon);
            var stop = await testbed.RunInGuestAsync("systemctl", "stop", GuestDaemon.Unit);
            output.WriteLine($"systemctl stop: exit {stop.ExitCode} {stop.StandardError}");
            output.WriteLine(await daemon.JournalAsync());
            Assert.NotEqual("failed", await daemon.ActiveStateAsync());
            var stopped = (await daemon.HistoryAsync()).First();
            output.WriteLine(stopped.ToString());
            Assert.Equal("abandoned", stopped.GetProperty("status").GetString());
            await daemon.AssertHistoryCompleteAsync();
            Assert.Equal(v1, await work.RunningDigestAsync());
            Assert.Equal("active", await work.UnitStateAsync());
            Assert.False(await daemon.IsQuarantinedAsync(v2));

            // Started again, the first pass takes v2 again; systemctl restart in its gate undoes it, and the new process takes it.
            await daemon.StartAsync();
            await UntilInGateAsync(daemon);
            var restart = await testbed.RunInGuestAsync("systemctl", "restart", GuestDaemon.Unit);
            output.WriteLine($"systemctl restart: exit {restart.ExitCode} {restart.StandardError}");
            await Poll.UntilAsync(() => RunningNowAsync(work), d => d == v2, Within, "the restarted daemon moving the unit to v2");
            await Poll.UntilAsync(async () => (await daemon.HistoryAsync()).First().GetProperty("status").GetString(), s => s == "updated", Within, "the update to v2 committing");
            var history = await daemon.HistoryAsync();
            Assert.Contains(history, r => r.GetProperty("status").GetString() == "abandoned" && r.GetProperty("id").GetInt64() != stopped.GetProperty("id").GetInt64());
            foreach (var row in history)
            {
                HistoryAssert.Record(row);
            }
            Assert.False(await daemon.IsQuarantinedAsync(v2));

            // Killed in v3's gate: the next start recovers first, under the lock, with the API answering that it does.
            await daemon.UntilIdleAsync();
            var v3 = await work.ReleaseAsync("1.2.0");
            await daemon.CheckInBackgroundAsync();
            await UntilInGateAsync(daemon);
            await testbed.ShellInGuestAsync($"systemctl kill -s SIGKILL {GuestDaemon.Unit}");
            await Poll.UntilAsync(daemon.ActiveStateAsync, s => s is "failed" or "inactive", Within, "the killed daemon to be gone");
            Assert.Equal("in progress", (await daemon.HistoryAsync()).First().GetProperty("status").GetString());
            await daemon.StartAsync(wait: false);
            // Recovery finishes v3's gate (the unit runs it): its status names the gate; READY=1 has not been sent.
            await Poll.UntilAsync(daemon.StatusTextAsync, s => s.StartsWith("health gate of", StringComparison.Ordinal), Within, "recovery to resume the gate");
            var meanwhile = await daemon.CommandAsync("check");
            output.WriteLine($"check during recovery: exit {meanwhile.ExitCode} {meanwhile.StandardError}");
            Assert.Equal(5, meanwhile.ExitCode);
            Assert.Contains("the daemon is recovering an interrupted update", meanwhile.StandardError, StringComparison.Ordinal);
            Assert.Equal("activating", await daemon.ActiveStateAsync());
            await Poll.UntilAsync(daemon.ActiveStateAsync, s => s == "active", Within, "READY=1 after recovery");
            var recovered = (await daemon.HistoryAsync()).First();
            output.WriteLine(recovered.ToString());
            Assert.Equal("updated", recovered.GetProperty("status").GetString());
            Assert.Equal(v3, await work.RunningDigestAsync());
            await daemon.AssertHistoryCompleteAsync();
        }
        catch (Exception)
        {
            output.WriteLine("--- the daemon's journal when the test failed ---");
            output.WriteLine(await daemon.JournalAsync());
            throw;
        }
        finally
        {
            await daemon.RemoveAsync();
            await work.StopUnitAsync();
        }
    }

    // While the unit restarts its container is briefly gone: that is "nothing yet", not an error.
    private async Task<string> RunningNowAsync(EngineWorkspace work) =>
        (await testbed.RunInGuestAsync("podman", "inspect", work.Name, "--format", "{{.ImageDigest}}")).StandardOutput.Trim();

    private static Task UntilInGateAsync(GuestDaemon daemon) =>
        Poll.UntilAsync(daemon.StatusTextAsync, s => s.StartsWith("health gate of", StringComparison.Ordinal), Within, "the daemon entering a health gate");
}
