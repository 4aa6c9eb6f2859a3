using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// What every pod unit must do: the agent finds the container under the pod's unit (the infra
/// container's, as podman 5 restarts it), moves it to the verified candidate with one restart of
/// that unit, and what runs afterwards is the candidate.
/// </summary>
internal static class PodScenario
{
    public static async Task UpdatesThroughThePodsUnitAsync(EngineWorkspace work, TestbedFixture testbed, ITestOutputHelper output, Func<Task> start)
    {
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await start();
        Assert.Equal(v1, await work.RunningDigestAsync());
        var infraUnit = await testbed.ShellInGuestAsync(
            $"podman inspect $(podman pod inspect $(podman inspect {work.Container} --format '{{{{.Pod}}}}') --format '{{{{.InfraContainerID}}}}') --format '{{{{index .Config.Labels \"PODMAN_SYSTEMD_UNIT\"}}}}'");
        Assert.Equal(work.Unit, infraUnit.Trim());
        var before = await ActiveSinceAsync(testbed, work.Unit);
        var v2 = await work.ReleaseAsync("1.1.0");

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(0, exit);
        Assert.Equal("updated", unit.GetProperty("status").GetString());
        Assert.Equal(v2, await work.RunningDigestAsync());
        Assert.Equal(await CandidateImageIdAsync(testbed, work, v2), await RunningImageIdAsync(testbed, work));
        Assert.Equal("active", await work.UnitStateAsync());
        Assert.NotEqual(before, await ActiveSinceAsync(testbed, work.Unit));
        var status = await work.StatusAsync();
        Assert.Equal("updated", status.GetProperty("status").GetString());
        Assert.Equal(v2, status.GetProperty("remote_digest").GetString());
        await work.StopUnitAsync();
    }

    public static async Task<string> RunningImageIdAsync(TestbedFixture testbed, EngineWorkspace work, string? container = null) =>
        (await testbed.ShellInGuestAsync($"podman inspect {container ?? work.Container} --format '{{{{.Image}}}}'")).Trim();

    private static async Task<string> CandidateImageIdAsync(TestbedFixture testbed, EngineWorkspace work, string digest) =>
        (await testbed.ShellInGuestAsync($"podman image inspect {work.Repository}@{digest} --format '{{{{.Id}}}}'")).Trim();

    private static async Task<string> ActiveSinceAsync(TestbedFixture testbed, string unit) =>
        (await testbed.ShellInGuestAsync($"systemctl show -P ActiveEnterTimestampMonotonic '{unit}'")).Trim();
}
