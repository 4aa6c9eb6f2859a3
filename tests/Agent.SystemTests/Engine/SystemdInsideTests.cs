using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// Containers built like UBI's <c>ubi-init</c>: run with <c>--systemd=always</c>, stopped with
/// SIGRTMIN+3, on a network of their own whose port is not published, health gated by the
/// container's health check and an HTTP probe of <c>127.0.0.1</c> made from inside the
/// container's network namespace. PID 1 is the guest's own systemd (<see cref="SystemdImage"/>):
/// no image with systemd can be pulled on these machines, so one is built from the guest's files.
/// </summary>
[Collection(TestbedCollection.Name)]
[OnlyOnGuest(Guests.Debian13, Reason)]
public sealed class SystemdInsideTests
{
    private const string Reason = "the hosts with ubi-init containers run podman 5 and Quadlet; the debian12 guest has podman 4.3.1";
    private const string HealthUrl = "http://127.0.0.1:8080/health";
    private readonly TestbedFixture _testbed;
    private readonly ITestOutputHelper _output;

    public SystemdInsideTests(TestbedFixture testbed, ITestOutputHelper output)
    {
        testbed.RequireGuest(Guests.Debian13, Reason);
        _testbed = testbed;
        _output = output;
    }

    [Fact]
    public async Task A_systemd_style_container_on_its_own_network_is_updated_and_probed_from_inside_it()
    {
        using var work = new EngineWorkspace(_testbed, "init", UnitKind.Quadlet);
        work.Push = (reference, labels, healthy) => SystemdImage.PushAsync(_testbed, reference, labels, healthy);
        await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await StartAsync(work);
        Assert.Equal("SIGRTMIN+3 none", (await _testbed.ShellInGuestAsync($"podman inspect {work.Name} --format '{{{{.Config.StopSignal}}}} {{{{.HostConfig.NetworkMode}}}}'")).Trim());
        Assert.Equal("systemd", (await _testbed.ShellInGuestAsync($"podman exec {work.Name} /bin/busybox cat /proc/1/comm")).Trim());
        var v2 = await work.ReleaseAsync("1.1.0");

        var (exit, unit) = await work.CheckUnitAsync(_output);

        Assert.Equal(0, exit);
        Assert.Equal("updated", unit.GetProperty("status").GetString());
        var detail = unit.GetProperty("detail").GetString()!;
        Assert.Contains($"{work.Name} healthy", detail, StringComparison.Ordinal);
        Assert.Contains($"GET {HealthUrl} in {work.Name}'s network → 200", detail, StringComparison.Ordinal);
        Assert.Equal(v2, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());
        // The old container's systemd halted on SIGRTMIN+3: podman never had to fall back to SIGKILL.
        Assert.DoesNotContain("resorting to SIGKILL", await _testbed.ShellInGuestAsync($"journalctl -u {work.Unit} --no-pager -o cat"), StringComparison.Ordinal);
        Assert.Equal("systemd", (await _testbed.ShellInGuestAsync($"podman exec {work.Name} /bin/busybox cat /proc/1/comm")).Trim());
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_systemd_style_container_whose_candidate_fails_the_probe_inside_its_network_is_rolled_back()
    {
        using var work = new EngineWorkspace(_testbed, "initsick", UnitKind.Quadlet);
        work.Push = (reference, labels, healthy) => SystemdImage.PushAsync(_testbed, reference, labels, healthy);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await StartAsync(work, containerHealth: false);
        await work.ReleaseAsync("1.1.0", healthy: false);

        var (exit, unit) = await work.CheckUnitAsync(_output);

        Assert.Equal(4, exit);
        Assert.Equal("rolled back", unit.GetProperty("status").GetString());
        Assert.Contains($"GET {HealthUrl} in {work.Name}'s network → 404", unit.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(v1, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());
        await work.StopUnitAsync();
    }

    /// <summary>A Quadlet unit with <c>--systemd=always</c>, no published port, running the systemd image.</summary>
    private async Task StartAsync(EngineWorkspace work, bool containerHealth = true)
    {
        // systemd starts the service after the container starts: failures while it boots do not count.
        var health = containerHealth ? "HealthCmd=/bin/busybox wget -q -O /dev/null " + HealthUrl + "\nHealthInterval=30s\nHealthRetries=2\nHealthStartPeriod=60s" : "";
        await _testbed.WriteGuestFileAsync($"/etc/containers/systemd/{work.Name}.container", $"""
            [Unit]
            Description=test systemd-style container {work.Name}

            [Container]
            ContainerName={work.Name}
            Image={work.Latest}
            AutoUpdate=registry
            Network=none
            PodmanArgs=--systemd=always
            Label=io.containers.autoupdate.health-url={HealthUrl}
            {health}

            [Service]
            TimeoutStartSec=60
            """);
        await _testbed.ShellInGuestAsync($"systemctl daemon-reload && systemctl start {work.Unit} && systemctl is-active {work.Unit}");
    }
}
