using System.Text.RegularExpressions;
using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Install;

/// <summary>
/// install.sh on an image-mode host, as bootc and ostree make them: /usr read-only, /usr/local
/// writable (a link to /var/usrlocal there). In the guest /usr is bind-mounted read-only and a
/// writable folder is mounted on /usr/local for the test, and both are undone after. install.sh
/// installs under /usr/local and /etc, the daemon runs from /usr/local, the commands work, and
/// --uninstall removes it all; --print-containerfile prints the image's lines and changes nothing.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed partial class ImageModeTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Source = "/tmp/ua-image-mode-src";
    private const string UsrLocal = "/var/usrlocal-ua-test";
    private const string Timer = "podman-auto-update.timer";
    private const string Unit = "/etc/systemd/system/update-agent.service";
    private const string UserUnit = "/etc/systemd/user/update-agent.service";
    private const string RolledBackId = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b50";

    private static readonly string[] Installed =
    [
        "/usr/local/bin/update-agent", "/usr/local/lib/update-agent", Unit, UserUnit, "/etc/tmpfiles.d/update-agent.conf",
        "/usr/local/lib/systemd/catalog/update-agent.catalog", "/usr/local/share/update-agent/update-agent-guard.conf",
        "/usr/local/share/man/man8/update-agent.8.gz", "/usr/local/share/man/man5/update-agent-policy.5.gz",
        "/usr/local/share/bash-completion/completions/update-agent", "/usr/local/share/zsh/site-functions/_update-agent",
    ];

    [Fact]
    public async Task Install_sh_puts_the_agent_under_usr_local_and_etc_when_usr_is_read_only()
    {
        var binary = Path.Combine(ProcessRunner.RepositoryRoot, "artifacts", "aot", "update-agent");
        Assert.True(File.Exists(binary), $"{binary} is missing: ./test.sh publishes it before the tests");
        foreach (var path in new[] { "/usr/bin/update-agent", "/usr/lib/systemd/system/update-agent.service", "/usr/local/bin/update-agent", Unit })
        {
            Assert.True((await testbed.RunInGuestAsync("test", "-e", path)).ExitCode != 0, $"the guest already has {path}: another install was not removed");
        }
        var configurationExisted = (await testbed.RunInGuestAsync("test", "-e", "/etc/update-agent")).ExitCode == 0;
        var timerWasEnabled = (await testbed.RunInGuestAsync("systemctl", "is-enabled", "--quiet", Timer)).ExitCode == 0;
        var timerWasActive = (await testbed.RunInGuestAsync("systemctl", "is-active", "--quiet", Timer)).ExitCode == 0;
        // The sources as a checkout has them (install.sh, units, packaging, docs), and the binary.
        var guestSource = $"/proc/{testbed.GuestPid}/root{Source}";
        Directory.CreateDirectory(guestSource);
        (await ProcessRunner.RunAsync("cp", ["-r", .. new[] { "install.sh", "units", "packaging", "docs" }.Select(p => Path.Combine(ProcessRunner.RepositoryRoot, p)), guestSource]))
            .EnsureSuccess("cp the sources into the guest");
        File.Copy(binary, $"{guestSource}/update-agent", overwrite: true);
        try
        {
            // /usr read-only, as the image's is; /usr/local writable, as /var/usrlocal is.
            await testbed.ShellInGuestAsync($"""
                mkdir -p {UsrLocal} && cp -a /usr/local/. {UsrLocal}/
                mount --bind /usr /usr && mount -o remount,bind,ro /usr && mount --bind {UsrLocal} /usr/local
                """);
            Assert.NotEqual(0, (await testbed.RunInGuestAsync("touch", "/usr/ua-write-test")).ExitCode);

            // --print-containerfile: the lines for the image; nothing changes on the host.
            var containerfile = await testbed.RunInGuestAsync($"{Source}/install.sh", "--print-containerfile");
            output.WriteLine($"install.sh --print-containerfile: exit {containerfile.ExitCode}\n{containerfile.StandardOutput}{containerfile.StandardError}");
            Assert.Equal(0, containerfile.ExitCode);
            var lines = containerfile.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            var rpm = $"update-agent-{File.ReadAllText(Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "VERSION")).Trim()}-1.x86_64.rpm";
            Assert.Equal($"COPY {rpm} /tmp/", lines[0]);
            Assert.Equal($"RUN dnf -y install /tmp/{rpm} && rm -f /tmp/{rpm} && dnf clean all", lines[1]);
            Assert.Equal("COPY policy.toml /etc/update-agent/policy.toml", lines[2]);
            var run = string.Join('\n', lines.Skip(3));
            Assert.Contains("systemctl enable update-agent.service", run, StringComparison.Ordinal);
            Assert.Contains($"systemctl disable {Timer} && systemctl mask {Timer}", run, StringComparison.Ordinal);
            foreach (var path in Installed)
            {
                Assert.True((await testbed.RunInGuestAsync("test", "-e", path)).ExitCode != 0, $"--print-containerfile made {path}");
            }

            // install.sh sees the read-only /usr and installs under /usr/local and /etc.
            var install = await testbed.RunInGuestAsync($"{Source}/install.sh", "--binary", $"{Source}/update-agent");
            output.WriteLine($"install.sh: exit {install.ExitCode}\n{install.StandardOutput}{install.StandardError}");
            Assert.Equal(0, install.ExitCode);
            Assert.Contains("image-mode host (/usr is read-only): installing under /usr/local and /etc", install.StandardOutput, StringComparison.Ordinal);
            foreach (var path in Installed)
            {
                Assert.True((await testbed.RunInGuestAsync("test", "-e", path)).ExitCode == 0, $"install.sh did not install {path}");
            }
            Assert.Equal("/usr/local/lib/update-agent/update-agent", (await testbed.ShellInGuestAsync("readlink /usr/local/bin/update-agent")).Trim());
            Assert.Contains("ExecStart=/usr/local/bin/update-agent run\n", await testbed.ShellInGuestAsync($"cat {Unit}"), StringComparison.Ordinal);
            Assert.Contains("ExecStart=/usr/local/bin/update-agent --user run\n", await testbed.ShellInGuestAsync($"cat {UserUnit}"), StringComparison.Ordinal);
            Assert.Contains("ExecStartPre=/usr/local/bin/update-agent guard %n\n",
                await testbed.ShellInGuestAsync("cat /usr/local/share/update-agent/update-agent-guard.conf"), StringComparison.Ordinal);

            // journalctl -x explains its events from the catalog under /usr/local.
            Assert.Contains(RolledBackId, await testbed.ShellInGuestAsync("journalctl --list-catalog"), StringComparison.Ordinal);

            // The daemon runs from /usr/local, under the unit in /etc.
            await Poll.UntilAsync(async () => (await testbed.RunInGuestAsync("systemctl", "is-active", "update-agent")).StandardOutput.Trim(),
                state => state == "active", TimeSpan.FromMinutes(2), "update-agent.service becoming active");
            var show = await testbed.ShellInGuestAsync("systemctl show update-agent -p FragmentPath -p ExecStart -p MainPID -p UnitFileState");
            output.WriteLine(show);
            Assert.Contains($"FragmentPath={Unit}\n", show, StringComparison.Ordinal);
            Assert.Contains("path=/usr/local/bin/update-agent ", show, StringComparison.Ordinal);
            Assert.Contains("UnitFileState=enabled", show, StringComparison.Ordinal);
            var pid = MainPid().Match(show).Groups[1].Value;
            var exe = (await testbed.ShellInGuestAsync($"readlink /proc/{pid}/exe")).Trim();
            output.WriteLine($"the daemon's executable: {exe}");
            Assert.EndsWith("/lib/update-agent/update-agent", exe, StringComparison.Ordinal);
            Assert.False(exe.StartsWith("/usr/lib/", StringComparison.Ordinal), exe);

            // The commands work from there.
            var version = (await testbed.ShellInGuestAsync("/usr/local/bin/update-agent --version")).Trim();
            output.WriteLine($"update-agent --version: {version}");
            Assert.Matches(@"^\d+\.\d+\.\d+\+[0-9a-f]{7,40}$", version);
            var status = await testbed.RunInGuestAsync("/usr/local/bin/update-agent", "status");
            output.WriteLine($"update-agent status: exit {status.ExitCode}\n{status.StandardOutput}{status.StandardError}");
            Assert.Equal(0, status.ExitCode);
            await InstalledConventions.AssertAsync(testbed, output, "/usr/local/share", "/usr/local/share/zsh/site-functions");

            // --uninstall removes what it installed.
            var uninstall = await testbed.RunInGuestAsync($"{Source}/install.sh", "--uninstall");
            output.WriteLine($"install.sh --uninstall: exit {uninstall.ExitCode}\n{uninstall.StandardOutput}{uninstall.StandardError}");
            Assert.Equal(0, uninstall.ExitCode);
            foreach (var path in Installed.Append("/var/lib/update-agent"))
            {
                Assert.True((await testbed.RunInGuestAsync("test", "-e", path)).ExitCode != 0, $"install.sh --uninstall left {path}");
            }
            Assert.Equal("not-found", (await testbed.RunInGuestAsync("systemctl", "show", "-p", "LoadState", "--value", "update-agent")).StandardOutput.Trim());
            Assert.DoesNotContain(RolledBackId, await testbed.ShellInGuestAsync("journalctl --list-catalog"), StringComparison.Ordinal);
            // The policy it installed, unchanged, goes too.
            Assert.Contains("update-agent is removed", uninstall.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("keeping /etc/update-agent/policy.toml", uninstall.StandardOutput, StringComparison.Ordinal);
            Assert.True(configurationExisted || (await testbed.RunInGuestAsync("test", "-e", "/etc/update-agent")).ExitCode != 0, "install.sh --uninstall left /etc/update-agent");
        }
        finally
        {
            // Leave the guest as it was, whatever failed above: no agent, /usr as before, the timer as it was.
            if ((await testbed.RunInGuestAsync("test", "-e", Unit)).ExitCode == 0)
            {
                await testbed.RunInGuestAsync($"{Source}/install.sh", "--uninstall");
            }
            if (!configurationExisted)
            {
                await testbed.RunInGuestAsync("rm", "-rf", "/etc/update-agent");
            }
            // Lazily: a process started meanwhile (podman's API service) may still hold the mounts.
            await testbed.RunInGuestAsync("sh", "-c", $"umount -l /usr/local; umount -l /usr; rm -rf {UsrLocal} {Source}");
            await testbed.RunInGuestAsync("systemctl", timerWasEnabled ? "enable" : "disable", Timer);
            await testbed.RunInGuestAsync("systemctl", timerWasActive ? "start" : "stop", Timer);
            await testbed.RunInGuestAsync("systemctl", "reset-failed", "update-agent.service");
            await testbed.RunInGuestAsync("systemctl", "daemon-reload");
        }
        // /usr is writable again for the tests after this one.
        Assert.Equal(0, (await testbed.RunInGuestAsync("sh", "-c", "touch /usr/ua-write-test && rm /usr/ua-write-test")).ExitCode);
    }

    [GeneratedRegex(@"MainPID=(\d+)")]
    private static partial Regex MainPid();
}
