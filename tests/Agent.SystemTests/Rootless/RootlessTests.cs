using System.Text.Json;
using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Rootless;

/// <summary>
/// A user's rootless unit, updated by the user instance (<c>update-agent --user</c>) running as that
/// user inside the guest, against the user's own systemd manager and podman socket and the system's
/// root-owned policy: moved to a verified image, kept off an unsigned one, and served by the user
/// unit the packages ship.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class RootlessTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Binary = GuestAgentFiles.Binary;

    [Fact]
    public async Task A_user_instance_moves_a_rootless_unit_only_to_a_verified_image()
    {
        var user = new RootlessUser(testbed);
        await user.EnsureAsync();
        using var work = new EngineWorkspace(testbed, "rootless");
        await work.ConfigureAsync(soak: "1s");
        var first = await work.ReleaseAsync("1.0.0");
        var config = $"{RootlessUser.Home}/ua-{work.Name}.toml";
        await InstallAsync(work, user, config);
        await user.InstallUnitAsync(work.Name, work.Latest, quadlet: testbed.Guest == Guests.Debian13);
        try
        {
            // podman 4.3 makes its rootless pause process on a user's first run, from inside the unit, and
            // systemd then fails the notify unit ('protocol'); a user who ran podman before never sees it.
            await user.ShellAsync($"podman pull -q {work.Latest}");
            var started = await user.RunAsync($"systemctl --user daemon-reload && systemctl --user start {work.Unit} && systemctl --user is-active {work.Unit}");
            if (started.ExitCode != 0)
            {
                Assert.Fail($"the rootless unit did not start:\n{started.StandardError}\n" +
                    await testbed.ShellInGuestAsync($"journalctl --no-pager -n 40 _UID={user.Uid}; journalctl --no-pager -n 20 --user-unit {work.Unit}"));
            }
            await user.WaitRunningAsync(work.Name);
            Assert.Equal(first, await RunningDigestAsync(user, work));
            // Root's podman does not see it: this unit is the user's alone.
            Assert.DoesNotContain(work.Name, await testbed.ShellInGuestAsync("podman ps --format '{{.Names}}'"), StringComparison.Ordinal);

            var second = await work.ReleaseAsync("1.1.0");
            var (exit, unit) = await CheckAsync(user, config, work);
            Assert.Equal(0, exit);
            Assert.Equal("updated", unit.GetProperty("status").GetString());
            Assert.Equal(second, await RunningDigestAsync(user, work));

            await work.ReleaseAsync("1.2.0", sign: false);
            (_, unit) = await CheckAsync(user, config, work);
            Assert.Equal("refused", unit.GetProperty("status").GetString());
            Assert.Equal(second, await RunningDigestAsync(user, work));

            // A user instance refuses to run as root, and root's configuration is not the user's.
            var asRoot = await testbed.RunInGuestAsync(Binary, "--user", "status", "--config", config);
            Assert.Equal(2, asRoot.ExitCode);
            Assert.Contains("runs as that user", asRoot.StandardError, StringComparison.Ordinal);

            // The user unit the packages ship runs the daemon in the user's manager; the API answers its user.
            var shipped = await File.ReadAllTextAsync(Path.Combine(ProcessRunner.RepositoryRoot, "units", "update-agent-user.service"));
            await user.WriteFileAsync($"{RootlessUser.Home}/.config/systemd/user/ua-user-daemon.service",
                shipped.Replace("ExecStart=/usr/bin/update-agent --user run", $"ExecStart={Binary} --user run --config {config}", StringComparison.Ordinal));
            await user.ShellAsync("systemctl --user daemon-reload && systemctl --user start ua-user-daemon.service && systemctl --user is-active ua-user-daemon.service");
            var status = JsonDocument.Parse(await user.ShellAsync($"{Binary} --user status --json --config {config}")).RootElement;
            output.WriteLine(status.ToString());
            Assert.Contains(status.GetProperty("units").EnumerateArray(), u => u.GetProperty("unit").GetString() == work.Unit);
            var journal = await testbed.ShellInGuestAsync($"journalctl --no-pager -o cat -t update-agent@{RootlessUser.Name} _UID={user.Uid} | tail -n 20");
            output.WriteLine(journal);
            Assert.False(string.IsNullOrWhiteSpace(journal), "the user instance logs to the journal as update-agent@USER");
        }
        finally
        {
            await user.RunAsync($"systemctl --user stop ua-user-daemon.service {work.Unit}; rm -f ~/.config/systemd/user/ua-user-daemon.service ~/.config/systemd/user/{work.Unit} ~/.config/containers/systemd/{work.Name}.container; " +
                $"systemctl --user daemon-reload; rm -rf ~/.local/state/update-agent-{work.Name} {config}");
            await testbed.ShellInGuestAsync($"rm -rf {work.Trust.Folder}");
        }
    }

    /// <summary>The binary, and the workspace's root-owned policy and keys readable by the user; the user's own configuration.</summary>
    private async Task InstallAsync(EngineWorkspace work, RootlessUser user, string config)
    {
        var policy = await GuestAgentFiles.InstallAsync(testbed, work);
        await user.WriteFileAsync(config, $"""
            [agent]
            policy = "{policy}"
            state_directory = "{RootlessUser.Home}/.local/state/update-agent-{work.Name}"
            restart_timeout = "90s"

            [schedule]
            interval = "1h"
            jitter = "0s"

            [health]
            soak = "1s"
            check_timeout = "20s"
            """);
    }

    private async Task<(int Exit, JsonElement Unit)> CheckAsync(RootlessUser user, string config, EngineWorkspace work)
    {
        var result = await user.RunAsync($"{Binary} --user check --json --config {config}");
        output.WriteLine(result.StandardOutput);
        output.WriteLine(result.StandardError);
        var report = JsonDocument.Parse(result.StandardOutput).RootElement;
        return (result.ExitCode, work.UnitReport(report));
    }

    private static async Task<string> RunningDigestAsync(RootlessUser user, EngineWorkspace work) =>
        (await user.ShellAsync($"podman container inspect {work.Name} --format '{{{{.ImageDigest}}}}'")).Trim();
}
