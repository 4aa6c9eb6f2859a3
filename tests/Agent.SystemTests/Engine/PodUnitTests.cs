using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// Pods on both guests: a hand-written unit that creates its pod (<c>PODMAN_SYSTEMD_UNIT=%n</c>
/// labels the infra container with it) and a <c>podman-kube@.service</c> instance, each updated
/// through its own unit with one restart; the hand-written pod with a sidecar on a second image too.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class PodUnitTests(TestbedFixture testbed, ITestOutputHelper output)
{
    [Fact]
    public async Task A_hand_written_pod_unit_is_updated()
    {
        using var work = new EngineWorkspace(testbed, "hpod");
        await PodScenario.UpdatesThroughThePodsUnitAsync(work, testbed, output,
            () => GuestUnits.InstallAndStartAsync(testbed, work.Unit, PodUnits.HandWrittenPod(work)));
    }

    [Fact]
    public async Task A_hand_written_pod_unit_with_an_app_and_a_sidecar_moves_both_together()
    {
        using var work = new EngineWorkspace(testbed, "hmix");
        await TwoImagePodScenario.RunAsync(work, testbed, output,
            side => GuestUnits.InstallAndStartAsync(testbed, work.Unit, PodUnits.HandWrittenPod(work, side)));
    }

    [Fact]
    public async Task A_podman_kube_template_unit_with_one_image_is_updated()
    {
        using var work = new EngineWorkspace(testbed, "tkube");
        var yaml = $"/etc/kube/{work.Name}.yaml";
        work.Unit = await PodUnits.KubeTemplateUnitAsync(testbed, yaml);
        work.Container = $"{work.Name}-app";
        // podman-kube@ passes no --network: the pod is on the host's network, on a port of its own.
        var port = 20000 + Random.Shared.Next(20000);
        await PodScenario.UpdatesThroughThePodsUnitAsync(work, testbed, output, async () =>
        {
            await PodUnits.WriteKubeYamlAsync(testbed, yaml, PodUnits.KubeYaml(work, port, hostNetwork: true));
            await testbed.ShellInGuestAsync($"systemctl start '{work.Unit}' && systemctl is-active '{work.Unit}'");
        });
    }
}
