using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// Pods as Quadlet writes them on a podman 5 host: a <c>.pod</c> whose container has a unit of its
/// own is restarted through the pod's unit, as <c>podman auto-update</c> does; a <c>.kube</c> unit
/// with one image is updated; a pod whose containers run two images is reported unmanageable and
/// left running what it runs.
/// </summary>
[Collection(TestbedCollection.Name)]
[OnlyOnGuest(Guests.Debian13, Reason)]
public sealed class PodTests
{
    private const string Reason = "Quadlet .pod and .kube files came with podman 5.0 and 4.5; the debian12 guest has podman 4.3.1";
    private readonly TestbedFixture _testbed;
    private readonly ITestOutputHelper _output;

    public PodTests(TestbedFixture testbed, ITestOutputHelper output)
    {
        testbed.RequireGuest(Guests.Debian13, Reason);
        _testbed = testbed;
        _output = output;
    }

    [Fact]
    public async Task A_quadlet_pod_is_updated_through_the_pods_unit_not_the_containers_own()
    {
        using var work = new EngineWorkspace(_testbed, "qpod", UnitKind.Quadlet);
        work.Unit = $"{work.Name}-pod.service";
        await PodScenario.UpdatesThroughThePodsUnitAsync(work, _testbed, _output, () => PodUnits.StartQuadletPodAsync(_testbed, work));
        // podman auto-update names the pod's unit for the container too.
        var dryRun = await _testbed.ShellInGuestAsync("podman auto-update --dry-run --format '{{.Unit}} {{.ContainerName}}'");
        Assert.DoesNotContain($"{work.Name}-app.service", dryRun, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quadlet_kube_unit_with_one_image_is_updated()
    {
        using var work = new EngineWorkspace(_testbed, "qkube", UnitKind.Quadlet);
        work.Container = $"{work.Name}-app";
        await PodScenario.UpdatesThroughThePodsUnitAsync(work, _testbed, _output, () => PodUnits.StartQuadletKubeAsync(_testbed, work));
    }

    [Fact]
    public async Task A_pod_whose_containers_run_two_images_is_unmanageable_names_each_and_is_left_running_them()
    {
        using var work = new EngineWorkspace(_testbed, "mixed", UnitKind.Quadlet);
        work.Unit = $"{work.Name}-pod.service";
        var side = $"{work.Repository}-side:latest";
        await work.ReleaseAsync("1.0.0");
        // The containers of a pod share one network: the sidecar serves on a port of its own.
        await _testbed.PushImageAsync(side, ["org.opencontainers.image.version=1.0.0"], command: """["/bin/httpd","-f","-p","8081","-h","/www"]""");
        await work.ConfigureAsync();
        await PodUnits.StartQuadletPodAsync(_testbed, work, side);
        var appBefore = await PodScenario.RunningImageIdAsync(_testbed, work);
        var sideBefore = await PodScenario.RunningImageIdAsync(_testbed, work, work.Name + "-side");
        var v2 = await work.ReleaseAsync("1.1.0");

        var (exit, unit) = await work.CheckUnitAsync(_output);

        Assert.Equal(6, exit);
        Assert.Equal("unmanageable", unit.GetProperty("status").GetString());
        var detail = unit.GetProperty("detail").GetString()!;
        Assert.Contains($"{work.Name} runs {work.Latest}", detail, StringComparison.Ordinal);
        Assert.Contains($"{work.Name}-side runs {side}", detail, StringComparison.Ordinal);
        Assert.Contains("several images are not updated yet", detail, StringComparison.Ordinal);
        Assert.Contains("one image per unit", detail, StringComparison.Ordinal);
        var status = await work.StatusAsync();
        Assert.Equal("unmanageable", status.GetProperty("status").GetString());
        // Nothing was pulled, tagged or restarted.
        Assert.False(await work.ImageExistsInGuestAsync(v2), "the candidate was pulled");
        Assert.Equal(appBefore, await PodScenario.RunningImageIdAsync(_testbed, work));
        Assert.Equal(sideBefore, await PodScenario.RunningImageIdAsync(_testbed, work, work.Name + "-side"));
        Assert.Equal("active", await work.UnitStateAsync());
        await work.StopUnitAsync();
    }
}
