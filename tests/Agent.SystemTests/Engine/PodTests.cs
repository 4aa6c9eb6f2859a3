using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// Pods as Quadlet writes them on a podman 5 host: a <c>.pod</c> whose container has a unit of its
/// own is restarted through the pod's unit, as <c>podman auto-update</c> does; a <c>.kube</c> unit
/// with one image is updated; a pod whose containers run two images moves both only when both are
/// accepted, with one restart, and rolls both back together.
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
    public async Task A_pod_whose_containers_run_two_images_moves_both_only_when_both_may_and_rolls_both_back_together()
    {
        using var work = new EngineWorkspace(_testbed, "mixed", UnitKind.Quadlet);
        work.Unit = $"{work.Name}-pod.service";
        await TwoImagePodScenario.RunAsync(work, _testbed, _output, side => PodUnits.StartQuadletPodAsync(_testbed, work, side));
    }
}
