using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Rootless;

/// <summary>
/// A user in the guest with rootless podman, as on a host where people run their own containers:
/// lingering (so the user's systemd manager runs without a login), podman's user socket enabled.
/// Rootless storage uses vfs because the guest (itself a container) cannot mount overlay or FUSE.
/// </summary>
internal sealed class RootlessUser(TestbedFixture testbed)
{
    public const string Name = "uarootless";
    public const string Home = "/home/" + Name;

    public int Uid { get; private set; }
    public string RuntimeDirectory => $"/run/user/{Uid}";

    /// <summary>Creates the user once per guest boot and waits for its manager, bus and podman socket.</summary>
    public async Task EnsureAsync()
    {
        await testbed.ShellInGuestAsync($"""
            id -u {Name} >/dev/null 2>&1 || useradd -m {Name}
            grep -q '^{Name}:' /etc/subuid || usermod --add-subuids 200000-265535 --add-subgids 200000-265535 {Name}
            install -d -o {Name} -g {Name} {Home}/.config {Home}/.config/containers {Home}/.config/systemd {Home}/.config/systemd/user
            printf '[storage]\ndriver = "vfs"\n' > {Home}/.config/containers/storage.conf
            chown {Name}: {Home}/.config/containers/storage.conf
            loginctl enable-linger {Name}
            # Quadlet's user units wait for the system's network-online.target, which nothing in the
            # guest pulls in (a host's network manager does): without it every start waits 90 s.
            systemctl start network-online.target
            """);
        Uid = int.Parse((await testbed.ShellInGuestAsync($"id -u {Name}")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Poll.UntilAsync(async () => (await testbed.RunInGuestAsync("test", "-S", $"{RuntimeDirectory}/bus")).ExitCode,
            code => code == 0, TimeSpan.FromSeconds(60), $"the user manager of {Name} (its bus {RuntimeDirectory}/bus)");
        await ShellAsync("systemctl --user enable --now podman.socket && systemctl --user is-active podman.socket");
    }

    /// <summary>
    /// Writes the user's unit NAME.service running <paramref name="image"/> with the auto-update label:
    /// a Quadlet <c>.container</c> in ~/.config/containers/systemd (podman 5, as on RHEL 10 hosts), or a
    /// unit running <c>podman run</c> in the foreground. The latter because podman 4.3's rootless conmon
    /// leaves a notify unit's cgroup in the debian12 guest, and systemd then stops the unit at once.
    /// </summary>
    public async Task InstallUnitAsync(string name, string image, bool quadlet)
    {
        if (!quadlet)
        {
            await WriteFileAsync($"{Home}/.config/systemd/user/{name}.service", $"""
                [Service]
                Environment=PODMAN_SYSTEMD_UNIT=%n
                ExecStart=/usr/bin/podman run --replace --rm --name {name} --network none --label io.containers.autoupdate=registry {image}
                ExecStop=/usr/bin/podman stop --ignore -t 2 {name}
                """);
            return;
        }
        await testbed.ShellInGuestAsync($"install -d -o {Name} -g {Name} {Home}/.config/containers {Home}/.config/containers/systemd");
        await WriteFileAsync($"{Home}/.config/containers/systemd/{name}.container", $"""
            [Container]
            ContainerName={name}
            Image={image}
            AutoUpdate=registry
            Network=none

            [Service]
            TimeoutStartSec=60
            """);
    }

    /// <summary>Waits until the user's container <paramref name="name"/> runs (a foreground unit is active before its container is).</summary>
    public Task WaitRunningAsync(string name) => Poll.UntilAsync(
        async () => (await RunAsync($"podman container inspect {name} --format '{{{{.State.Status}}}}'")).StandardOutput.Trim(),
        state => state == "running", TimeSpan.FromSeconds(90), $"the rootless container {name} running");

    /// <summary>Runs a shell script as the user, with the environment its systemd manager gives services.</summary>
    public Task<ProcessResult> RunAsync(string script) =>
        testbed.RunInGuestAsync("runuser", "-u", Name, "--", "env", $"XDG_RUNTIME_DIR={RuntimeDirectory}", $"HOME={Home}", "/bin/sh", "-c", script);

    /// <summary>As <see cref="RunAsync"/>, failing with the output unless it succeeds.</summary>
    public async Task<string> ShellAsync(string script) => (await RunAsync(script)).EnsureSuccess($"as {Name}: {script}").StandardOutput;

    /// <summary>Writes a file the user owns.</summary>
    public async Task WriteFileAsync(string path, string content)
    {
        await testbed.WriteGuestFileAsync(path, content);
        await testbed.ShellInGuestAsync($"chown {Name}: {path} && chmod 600 {path}");
    }
}
