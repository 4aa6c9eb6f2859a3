using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// Units that run their container in a pod, written each way a host has them: a Quadlet
/// <c>.pod</c> with its <c>.container</c>s, a Quadlet <c>.kube</c>, <c>podman-kube@.service</c>
/// and a hand-written unit that creates the pod itself. In every one the pod's infra container
/// carries the unit podman (and update-agent) restart.
/// </summary>
internal static class PodUnits
{
    /// <summary>
    /// A Quadlet pod <c>NAME.pod</c> (unit <c>NAME-pod.service</c>) with the workspace's container in
    /// it (unit <c>NAME-app.service</c> of its own), and a second container of <paramref name="sideImage"/> when given.
    /// </summary>
    public static async Task StartQuadletPodAsync(TestbedFixture testbed, EngineWorkspace work, string? sideImage = null)
    {
        await testbed.WriteGuestFileAsync($"/etc/containers/systemd/{work.Name}.pod", $"""
            [Pod]
            PodName={work.Name}
            Network=none
            """);
        await testbed.WriteGuestFileAsync($"/etc/containers/systemd/{work.Name}-app.container", Member(work.Name, work.Name, work.Latest, "HealthCmd=cat /www/health\nHealthInterval=30s\nHealthRetries=2"));
        var units = $"{work.Name}-pod.service {work.Name}-app.service";
        if (sideImage is not null)
        {
            await testbed.WriteGuestFileAsync($"/etc/containers/systemd/{work.Name}-side.container", Member(work.Name, work.Name + "-side", sideImage, "HealthCmd=cat /www/health\nHealthInterval=30s\nHealthRetries=2"));
            units += $" {work.Name}-side.service";
        }
        await testbed.ShellInGuestAsync($"systemctl daemon-reload && systemctl start {units} && systemctl is-active {units}");
    }

    private static string Member(string pod, string container, string image, string extra) => $"""
        [Container]
        ContainerName={container}
        Image={image}
        Pod={pod}.pod
        AutoUpdate=registry
        {extra}

        [Service]
        TimeoutStartSec=60
        """;

    /// <summary>
    /// Kubernetes YAML for a pod named like the workspace with one container <c>app</c> (so podman
    /// names it <c>NAME-app</c>) serving on <paramref name="port"/>. <c>imagePullPolicy</c> is set:
    /// without it <c>kube play</c> pulls a <c>:latest</c> tag on every start.
    /// </summary>
    public static string KubeYaml(EngineWorkspace work, int port, bool hostNetwork) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {work.Name}
          annotations:
            io.containers.autoupdate: registry
        spec:
          hostNetwork: {(hostNetwork ? "true" : "false")}
          containers:
          - name: app
            image: {work.Latest}
            imagePullPolicy: IfNotPresent
            command: ["/bin/serve", "{port}"]
        """;

    /// <summary>A Quadlet <c>NAME.kube</c> (unit <c>NAME.service</c>) playing <see cref="KubeYaml"/> with no network.</summary>
    public static async Task StartQuadletKubeAsync(TestbedFixture testbed, EngineWorkspace work)
    {
        await WriteKubeYamlAsync(testbed, $"/etc/kube/{work.Name}.yaml", KubeYaml(work, 8080, hostNetwork: false));
        await testbed.WriteGuestFileAsync($"/etc/containers/systemd/{work.Name}.kube", $"""
            [Kube]
            Yaml=/etc/kube/{work.Name}.yaml
            AutoUpdate=registry
            Network=none

            [Service]
            TimeoutStartSec=60
            """);
        await testbed.ShellInGuestAsync($"systemctl daemon-reload && systemctl start {work.Unit} && systemctl is-active {work.Unit}");
    }

    /// <summary>Writes a kube YAML file in the guest, making its folder first.</summary>
    public static async Task WriteKubeYamlAsync(TestbedFixture testbed, string path, string yaml)
    {
        await testbed.ShellInGuestAsync($"mkdir -p {Path.GetDirectoryName(path)}");
        await testbed.WriteGuestFileAsync(path, yaml);
    }

    /// <summary>The <c>podman-kube@.service</c> instance for <paramref name="yamlPath"/>.</summary>
    public static async Task<string> KubeTemplateUnitAsync(TestbedFixture testbed, string yamlPath) =>
        $"podman-kube@{(await testbed.ShellInGuestAsync($"systemd-escape {yamlPath}")).Trim()}.service";

    /// <summary>
    /// A hand-written unit that makes its pod and container on every start, with
    /// <c>PODMAN_SYSTEMD_UNIT=%n</c>, so podman labels the infra container (and the member) with it;
    /// with <paramref name="sideImage"/>, a second container of that image in the same pod.
    /// </summary>
    public static string HandWrittenPod(EngineWorkspace work, string? sideImage = null) => $"""
        [Unit]
        Description=test pod {work.Name}

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        Environment=PODMAN_SYSTEMD_UNIT=%n
        ExecStartPre=/usr/bin/podman pod create --replace --name {work.Name}-pod --network none
        ExecStartPre=/usr/bin/podman create --replace --name {work.Name} --pod {work.Name}-pod --health-cmd 'cat /www/health' --health-interval 30s --health-retries 2 --label io.containers.autoupdate=registry {work.Latest}
        {(sideImage is null ? "" : $"ExecStartPre=/usr/bin/podman create --replace --name {work.Name}-side --pod {work.Name}-pod --health-cmd 'cat /www/health' --health-interval 30s --health-retries 2 --label io.containers.autoupdate=registry {sideImage}")}
        ExecStart=/usr/bin/podman pod start {work.Name}-pod
        ExecStop=/usr/bin/podman pod stop --ignore -t 2 {work.Name}-pod
        ExecStopPost=/usr/bin/podman pod rm -f --ignore {work.Name}-pod
        TimeoutStartSec=60
        """;
}
