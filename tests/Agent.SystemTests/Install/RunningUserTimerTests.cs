using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Install;

/// <summary>
/// A rootless user's podman-auto-update.timer started in that user's running manager (lingering,
/// no enablement link anywhere): doctor and units --migration still find it and name the command
/// that turns it off. The binary runs from a scratch folder in the guest, not installed.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class RunningUserTimerTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Timer = "podman-auto-update.timer";
    private const string Dir = "/tmp/ua-user-timers";
    private const string User = "erin";

    [Fact]
    public async Task A_timer_running_in_a_users_manager_is_found_with_its_fix()
    {
        var binary = Path.Combine(ProcessRunner.RepositoryRoot, "artifacts", "aot", "update-agent");
        Assert.True(File.Exists(binary), $"{binary} is missing: ./test.sh publishes it before the tests");
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
            var uid = (await testbed.ShellInGuestAsync($"id -u {User} 2>/dev/null || {{ useradd -m {User} && id -u {User}; }}")).Trim();
            await testbed.ShellInGuestAsync($"loginctl enable-linger {User}");
            await Poll.UntilAsync(async () => (await testbed.RunInGuestAsync("systemctl", "is-active", $"user@{uid}.service")).StandardOutput.Trim(),
                state => state == "active", TimeSpan.FromMinutes(2), $"{User}'s user manager (user@{uid}.service) running");
            await testbed.ShellInGuestAsync($"systemctl --user -M {User}@ start {Timer} && systemctl --user -M {User}@ is-active {Timer}");

            var doctor = await testbed.RunInGuestAsync($"{Dir}/update-agent", "doctor", "--config", $"{Dir}/agent.toml");
            output.WriteLine(doctor.StandardOutput + doctor.StandardError);
            Assert.Contains($"FAIL  other updater: {User}'s {Timer} is active in {User}'s running user manager", doctor.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"      fix: systemctl --user -M {User}@ disable --now {Timer}", doctor.StandardOutput, StringComparison.Ordinal);

            var migration = await testbed.RunInGuestAsync($"{Dir}/update-agent", "units", "--migration", "--config", $"{Dir}/agent.toml");
            output.WriteLine(migration.StandardOutput + migration.StandardError);
            Assert.Equal(0, migration.ExitCode);
            Assert.Contains($"turn it off: systemctl --user -M {User}@ disable --now {Timer}", migration.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            await testbed.RunInGuestAsync("systemctl", "--user", "-M", $"{User}@", "stop", Timer);
            await testbed.RunInGuestAsync("loginctl", "disable-linger", User);
            await testbed.RunInGuestAsync("loginctl", "terminate-user", User);
            await testbed.RunInGuestAsync("userdel", "-r", User);
            await testbed.RunInGuestAsync("rm", "-rf", Dir);
        }
    }
}
