using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests;

/// <summary>Proves the testbed is real before anything of ours runs in it.</summary>
[Collection(TestbedCollection.Name)]
public sealed class TestbedProofTests(TestbedFixture testbed, ITestOutputHelper output)
{
    [Fact]
    public async Task Guest_runs_systemd_and_podman_auto_update_sees_the_registry_unit()
    {
        var state = (await testbed.ShellInGuestAsync("systemctl is-system-running || true")).Trim();
        output.WriteLine($"guest: systemctl is-system-running → {state} now, {testbed.GuestState} at boot (booted in {testbed.BootMilliseconds} ms)");
        if (state == "degraded")
        {
            // Other system tests fail units on purpose; say which, so a real boot problem is told apart.
            output.WriteLine("guest: failed units: " + (await testbed.ShellInGuestAsync("systemctl --failed --no-legend --plain | cut -d' ' -f1 | tr '\\n' ' '")).Trim());
        }
        Assert.Contains(state, new[] { "running", "degraded" });
        Assert.Equal("systemd", (await testbed.ShellInGuestAsync("cat /proc/1/comm")).Trim());

        var image = $"{testbed.Registry}/proof/web:latest";
        await testbed.PushImageAsync(image, ["org.opencontainers.image.source=https://example.test/proof"]);
        await GuestUnits.InstallAndStartAsync(testbed, "proof-web.service", GuestUnits.Container("proof-web", image));

        var label = (await testbed.ShellInGuestAsync(
            "podman inspect proof-web --format '{{index .Config.Labels \"PODMAN_SYSTEMD_UNIT\"}}'")).Trim();
        Assert.Equal("proof-web.service", label);

        var table = await testbed.ShellInGuestAsync("podman auto-update --dry-run");
        output.WriteLine("guest: podman auto-update --dry-run");
        output.WriteLine(table);
        var row = Assert.Single(table.Split('\n'), line => line.TrimStart().StartsWith("proof-web.service", StringComparison.Ordinal));
        Assert.Contains(image, row, StringComparison.Ordinal);
        Assert.Contains("registry", row, StringComparison.Ordinal);
        Assert.Contains("false", row, StringComparison.Ordinal);

        // A new :latest in the registry is really seen from inside the guest.
        await testbed.PushImageAsync(image, ["org.opencontainers.image.source=https://example.test/proof", "build=2"]);
        var pending = await testbed.ShellInGuestAsync("podman auto-update --dry-run");
        output.WriteLine(pending);
        Assert.Contains("pending", pending.Split('\n').Single(line => line.TrimStart().StartsWith("proof-web.service", StringComparison.Ordinal)), StringComparison.Ordinal);

        await testbed.ShellInGuestAsync("systemctl stop proof-web.service");
    }
}
