namespace UpdateAgent.SystemTests.Testbed;

/// <summary>Unit files for containers in the guest, written the way podman's own generated units are.</summary>
public static class GuestUnits
{
    /// <summary>
    /// A <c>Type=notify</c> unit running one container from <paramref name="image"/> with the
    /// auto-update label; <c>PODMAN_SYSTEMD_UNIT</c> makes podman label the container with the unit.
    /// </summary>
    public static string Container(string container, string image, string extraRunArgs = "--network none", string policy = "registry") => $"""
        [Unit]
        Description=test container {container}

        [Service]
        Type=notify
        NotifyAccess=all
        Environment=PODMAN_SYSTEMD_UNIT=%n
        ExecStart=/usr/bin/podman run --replace --rm --cgroups=split --sdnotify=conmon -d --name {container} {extraRunArgs} --label io.containers.autoupdate={policy} {image}
        ExecStop=/usr/bin/podman stop --ignore -t 2 {container}
        TimeoutStartSec=60
        """;

    /// <summary>Installs <paramref name="unitText"/> as <paramref name="unit"/> in the guest, reloads systemd and starts it.</summary>
    public static async Task InstallAndStartAsync(TestbedFixture testbed, string unit, string unitText)
    {
        ArgumentNullException.ThrowIfNull(testbed);
        await testbed.WriteGuestFileAsync($"/etc/systemd/system/{unit}", unitText).ConfigureAwait(false);
        await testbed.ShellInGuestAsync($"systemctl daemon-reload && systemctl start {unit} && systemctl is-active {unit}").ConfigureAwait(false);
    }
}
