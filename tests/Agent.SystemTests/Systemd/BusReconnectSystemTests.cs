using System.Text.Json;
using UpdateAgent.Systemd;
using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Systemd;

/// <summary>
/// The guest's dbus-daemon killed and restarted under a connected manager and under the daemon:
/// the connection comes back, job signals with it; a bus that stays away stops the watchdog.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class BusReconnectSystemTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Unit = "bus-reconnect.service";
    private const string Dir = "/tmp/ua-bus-reconnect";
    private const string Daemon = "ua-bus-reconnect";
    private const string ReconnectedId = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5201";
    private const string UnreachableId = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c30";
    // A crash: dbus.socket stays, and the next connection to it starts a new daemon.
    private const string KillBus = "kill -KILL \"$(systemctl show --property=MainPID --value dbus.service)\"";
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(1);

    public static TheoryData<string, string> BusRestarts => new()
    {
        { "SIGKILL", KillBus },
        { "systemctl restart", "systemctl restart dbus.service" },
    };

    [Theory]
    [MemberData(nameof(BusRestarts))]
    public async Task The_same_manager_answers_and_follows_jobs_after_dbus_daemon_goes(string how, string script)
    {
        await testbed.WriteGuestFileAsync($"/etc/systemd/system/{Unit}", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");
        await testbed.ShellInGuestAsync("systemctl daemon-reload");
        await using var systemd = await SystemdManager.ConnectAsync($"unix:path={testbed.DBusSocket}");
        var reconnects = new List<string>();
        systemd.Reconnected = reason =>
        {
            lock (reconnects)
            {
                reconnects.Add(reason);
            }
        };
        try
        {
            Assert.Equal(JobResult.Done, (await systemd.RestartUnitAndWaitAsync(Unit, Within)).Result);
            var connection = systemd.UniqueName;
            var busBefore = await DBusPidAsync();

            await testbed.ShellInGuestAsync(script);
            // PID 1 connects to the new bus by itself a moment later; until then the bus answers for it with an error.
            var state = await Poll.UntilAsync(() => StateOrNullAsync(systemd), s => s is not null, Within, $"{Unit}'s state through the same manager after {how}");
            Assert.True(state!.IsActive, $"after {how}: {state}");
            Assert.NotEqual(busBefore, await DBusPidAsync());

            // JobRemoved reaches only a connection that subscribed again: a job that ends proves it did.
            var outcome = await systemd.RestartUnitAndWaitAsync(Unit, Within);
            output.WriteLine($"{how}: connection {connection} → {systemd.UniqueName}; reconnected because: {string.Join("; ", reconnects)}; RestartUnit → {outcome.ResultWord}");
            Assert.Equal(JobResult.Done, outcome.Result);
            Assert.NotEmpty(reconnects);
            await systemd.PingAsync();
        }
        finally
        {
            await testbed.ShellInGuestAsync($"systemctl stop {Unit}; rm -f /etc/systemd/system/{Unit} && systemctl daemon-reload");
        }
    }

    [Fact]
    public async Task The_daemon_reconnects_after_a_bus_restart_and_its_watchdog_restarts_it_while_the_bus_stays_away()
    {
        await ScratchDaemon.PrepareAsync(testbed, Dir);
        try
        {
            // WatchdogSec=4s: the daemon asks systemd and pets every 2 s.
            await testbed.ShellInGuestAsync($"systemd-run --unit={Daemon} --property=Type=notify --property=NotifyAccess=main --property=WatchdogSec=4s {Dir}/update-agent run --config {Dir}/agent.toml");
            var pid = await MainPidAsync();

            await testbed.ShellInGuestAsync(KillBus);
            var reconnected = await Poll.UntilAsync(() => JournalAsync($"MESSAGE_ID={ReconnectedId}"), e => e.Count > 0, Within, "the daemon's SystemdReconnected entry");
            output.WriteLine(reconnected[0].GetProperty("MESSAGE").GetString());
            // Petted again after asking systemd on the new connection, by the same process.
            var pettedAfter = await WatchdogPettedAsync();
            await Poll.UntilAsync(WatchdogPettedAsync, petted => petted > pettedAfter, Within, "a watchdog ping after the reconnection");
            Assert.Equal(pid, await MainPidAsync());

            // No bus at all: no answer, no pets, and systemd ends the daemon for its watchdog; the outage is logged once.
            var outagesBefore = (await JournalAsync($"MESSAGE_ID={UnreachableId}")).Count;
            await testbed.ShellInGuestAsync("systemctl stop dbus.socket dbus.service");
            await Poll.UntilAsync(async () => (await testbed.ShellInGuestAsync($"systemctl show --property=Result --value {Daemon}")).Trim(),
                result => result == "watchdog", Within, $"{Daemon} ended by its watchdog");
            var outages = await JournalAsync($"MESSAGE_ID={UnreachableId}");
            output.WriteLine(outages[^1].GetProperty("MESSAGE").GetString());
            Assert.Equal(outagesBefore + 1, outages.Count);
        }
        finally
        {
            await testbed.ShellInGuestAsync("systemctl start dbus.socket dbus.service");
            await testbed.RunInGuestAsync("systemctl", "stop", Daemon);
            await testbed.RunInGuestAsync("systemctl", "reset-failed", Daemon);
            await testbed.RunInGuestAsync("rm", "-rf", Dir);
            // Later tests need systemd on the bus again.
            await using var systemd = await SystemdManager.ConnectAsync($"unix:path={testbed.DBusSocket}");
            await Poll.UntilAsync(() => AnswersAsync(systemd), answers => answers, Within, "systemd back on the guest's bus");
        }
    }

    private async Task<UnitState?> StateOrNullAsync(SystemdManager systemd)
    {
        try
        {
            return await systemd.GetUnitStateAsync(Unit);
        }
        catch (SystemdException e)
        {
            output.WriteLine($"not yet: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private async Task<bool> AnswersAsync(SystemdManager systemd)
    {
        try
        {
            await systemd.PingAsync();
            return true;
        }
        catch (SystemdException e)
        {
            output.WriteLine($"not yet: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }

    // When systemd last heard WATCHDOG=1 from the daemon (CLOCK_MONOTONIC, µs).
    private async Task<ulong> WatchdogPettedAsync() =>
        ulong.Parse((await testbed.ShellInGuestAsync($"systemctl show --property=WatchdogTimestampMonotonic --value {Daemon}")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> DBusPidAsync() => (await testbed.ShellInGuestAsync("systemctl show --property=MainPID --value dbus.service")).Trim();

    private async Task<string> MainPidAsync() => (await testbed.ShellInGuestAsync($"systemctl show --property=MainPID --value {Daemon}")).Trim();

    private Task<List<JsonElement>> JournalAsync(string match) => ScratchDaemon.JournalAsync(testbed, Daemon, match);
}
