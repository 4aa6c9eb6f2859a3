using System.Text.Json;
using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Install;

/// <summary>
/// podman-auto-update.timer left on beside update-agent, in the guest's real systemd: doctor
/// fails naming each timer (the system's, the one enabled for every user, a user's own under
/// /root and /var/home) and its fix; the daemon warns in the journal with the event's MESSAGE_ID.
/// The binary runs from a scratch folder with its own configuration, not installed.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class OtherUpdaterTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Timer = "podman-auto-update.timer";
    private const string MessageId = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c20";
    private const string Dir = "/tmp/ua-other-updaters";
    private const string Daemon = "ua-other-updaters";
    private const string RootLink = $"/root/.config/systemd/user/timers.target.wants/{Timer}";
    private const string Catalog = "/usr/lib/systemd/catalog/update-agent-other-updaters-test.catalog";
    private const string DaveLink = $"/var/home/dave/.config/systemd/user/default.target.wants/{Timer}";

    [Fact]
    public async Task Doctor_fails_on_every_timer_left_on_and_the_daemon_warns_in_the_journal()
    {
        var binary = Path.Combine(ProcessRunner.RepositoryRoot, "artifacts", "aot", "update-agent");
        Assert.True(File.Exists(binary), $"{binary} is missing: ./test.sh publishes it before the tests");
        var wasEnabled = (await testbed.RunInGuestAsync("systemctl", "is-enabled", "--quiet", Timer)).ExitCode == 0;
        var wasActive = (await testbed.RunInGuestAsync("systemctl", "is-active", "--quiet", Timer)).ExitCode == 0;
        var guestDir = $"/proc/{testbed.GuestPid}/root{Dir}";
        Directory.CreateDirectory(guestDir);
        File.Copy(binary, $"{guestDir}/update-agent", overwrite: true);
        await testbed.WriteGuestFileAsync($"{Dir}/policy.toml", $"[registries]\ninsecure = [\"{testbed.Registry}\"]\n");
        await testbed.WriteGuestFileAsync($"{Dir}/agent.toml", $"""
            [agent]
            policy = "{Dir}/policy.toml"
            state_directory = "{Dir}/state"
            api_socket = "{Dir}/api.sock"
            """);
        try
        {
            await testbed.ShellInGuestAsync($"""
                systemctl enable --now {Timer} && systemctl --global enable {Timer}
                for link in {RootLink} {DaveLink}; do mkdir -p "$(dirname "$link")" && ln -sf /usr/lib/systemd/user/{Timer} "$link"; done
                """);

            var doctor = await DoctorAsync();
            Assert.NotEqual(0, doctor.ExitCode);
            Assert.Contains($"FAIL  other updater: the system's {Timer} is enabled (enabled) and active", doctor.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"      fix: systemctl disable --now {Timer}", doctor.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"FAIL  other updater: {Timer} is enabled for every user (/etc/systemd/user/timers.target.wants/{Timer})", doctor.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"      fix: systemctl --global disable {Timer}", doctor.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"FAIL  other updater: root's {Timer} is enabled ({RootLink})", doctor.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"FAIL  other updater: dave's {Timer} is enabled ({DaveLink})", doctor.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"      fix: systemctl --user -M dave@ disable --now {Timer}", doctor.StandardOutput, StringComparison.Ordinal);

            // The daemon warns before READY=1 (and before every pass): the system timer and the global enable.
            await testbed.ShellInGuestAsync($"systemd-run --unit={Daemon} --property=Type=notify --property=NotifyAccess=main {Dir}/update-agent run --config {Dir}/agent.toml");
            var warnings = await Poll.UntilAsync(() => JournalAsync($"MESSAGE_ID={MessageId}"), entries => entries.Count >= 2, TimeSpan.FromMinutes(1),
                $"two journal entries with MESSAGE_ID={MessageId} from {Daemon}");
            foreach (var entry in warnings)
            {
                output.WriteLine(entry.GetProperty("MESSAGE").GetString());
            }
            Assert.Contains(warnings, e => e.GetProperty("FIX").GetString() == $"systemctl disable --now {Timer}"
                && e.GetProperty("PRIORITY").GetString() == "4");
            Assert.Contains(warnings, e => e.GetProperty("FIX").GetString() == $"systemctl --global disable {Timer}"
                && e.GetProperty("MESSAGE").GetString()!.Contains("ProtectHome=yes", StringComparison.Ordinal));
            Assert.DoesNotContain(warnings, e => e.GetProperty("MESSAGE").GetString()!.Contains("dave", StringComparison.Ordinal));
            // The catalog explains it (journalctl -x), as an installed agent's does.
            File.Copy(Path.Combine(ProcessRunner.RepositoryRoot, "units", "update-agent.catalog"), $"/proc/{testbed.GuestPid}/root{Catalog}", overwrite: true);
            var explained = await testbed.ShellInGuestAsync($"journalctl --update-catalog && journalctl -x -u {Daemon} MESSAGE_ID={MessageId} --no-pager");
            output.WriteLine(explained);
            Assert.Contains("another updater is on beside update-agent", explained, StringComparison.Ordinal);

            // All off: doctor's line is ok again.
            await testbed.ShellInGuestAsync($"systemctl disable --now {Timer} && systemctl --global disable {Timer} && rm -f {RootLink} {DaveLink}");
            var clean = await DoctorAsync();
            Assert.Contains($"ok    other updaters: {Timer} is enabled neither for the system, nor for every user, nor in any home", clean.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("other updater:", clean.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            await testbed.RunInGuestAsync("systemctl", "stop", Daemon);
            await testbed.RunInGuestAsync("systemctl", "reset-failed", Daemon);
            await testbed.RunInGuestAsync("systemctl", "--global", "disable", Timer);
            await testbed.RunInGuestAsync("systemctl", wasEnabled ? "enable" : "disable", Timer);
            await testbed.RunInGuestAsync("systemctl", wasActive ? "start" : "stop", Timer);
            await testbed.RunInGuestAsync("rm", "-rf", Dir, RootLink, "/var/home/dave", Catalog);
            await testbed.RunInGuestAsync("journalctl", "--update-catalog");
        }
    }

    private async Task<ProcessResult> DoctorAsync()
    {
        var doctor = await testbed.RunInGuestAsync($"{Dir}/update-agent", "doctor", "--config", $"{Dir}/agent.toml");
        output.WriteLine($"update-agent doctor: exit {doctor.ExitCode}\n{doctor.StandardOutput}{doctor.StandardError}");
        return doctor;
    }

    private async Task<List<JsonElement>> JournalAsync(string match)
    {
        var text = await testbed.ShellInGuestAsync($"journalctl -u {Daemon} -o json --no-pager {match}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }
}
