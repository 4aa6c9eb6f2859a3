using UpdateAgent.Podman;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Podman;

[Collection(TestbedCollection.Name)]
public sealed class PodmanContainerSystemTests(TestbedFixture testbed)
{
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Health_check_reaches_healthy_for_a_serving_container()
    {
        // Host network, like the HTTP probes later: a port no other test uses.
        const int Port = 28431;
        var image = $"{testbed.Registry}/pm-health/good:latest";
        await testbed.PushImageAsync(image, command: PodmanUnits.HttpdOn(Port));
        await GuestUnits.InstallAndStartAsync(testbed, "pm-healthy.service", GuestUnits.Container("pm-healthy", image,
            $"--network host --health-cmd 'wget -q -O /dev/null http://127.0.0.1:{Port}/health' --health-interval 1h"));
        try
        {
            using var podman = PodmanUnits.Client(testbed);
            var run = await Poll.UntilAsync(() => podman.RunHealthCheckAsync("pm-healthy", CancellationToken.None),
                r => r.Status == HealthStatus.Healthy, HealthDeadline, "pm-healthy becoming healthy");
            Assert.Equal(HealthCheckOutcome.Ran, run.Outcome);

            var state = await podman.InspectContainerAsync("pm-healthy", CancellationToken.None);
            Assert.True(state.Running);
            Assert.Equal("running", state.Status);
            Assert.Equal(HealthStatus.Healthy, state.Health);
            Assert.Equal(0, state.FailingStreak);
            Assert.NotNull(state.StartedAt);
            Assert.Equal(0, state.RestartCount);
        }
        finally
        {
            await testbed.ShellInGuestAsync("systemctl stop pm-healthy.service");
        }
    }

    [Fact]
    public async Task Health_check_that_fails_makes_the_container_unhealthy()
    {
        var image = $"{testbed.Registry}/pm-health/bad:latest";
        await testbed.PushImageAsync(image);
        await GuestUnits.InstallAndStartAsync(testbed, "pm-unhealthy.service", GuestUnits.Container("pm-unhealthy", image,
            "--network none --health-cmd 'wget -q -O /dev/null http://127.0.0.1:8080/missing' --health-retries 1 --health-interval 1h"));
        try
        {
            using var podman = PodmanUnits.Client(testbed);
            var run = await podman.RunHealthCheckAsync("pm-unhealthy", CancellationToken.None);
            Assert.Equal(HealthCheckOutcome.Ran, run.Outcome);
            Assert.Equal(HealthStatus.Unhealthy, run.Status);

            var state = await podman.InspectContainerAsync("pm-unhealthy", CancellationToken.None);
            Assert.Equal(HealthStatus.Unhealthy, state.Health);
            Assert.True(state.FailingStreak >= 1);
        }
        finally
        {
            await testbed.ShellInGuestAsync("systemctl stop pm-unhealthy.service");
        }
    }

    [Fact]
    public async Task Container_without_health_check_is_a_distinct_result_and_exec_reports_exit_codes()
    {
        var image = $"{testbed.Registry}/pm-health/none:latest";
        await testbed.PushImageAsync(image);
        await GuestUnits.InstallAndStartAsync(testbed, "pm-nohealth.service", GuestUnits.Container("pm-nohealth", image));
        try
        {
            using var podman = PodmanUnits.Client(testbed);
            var run = await podman.RunHealthCheckAsync("pm-nohealth", CancellationToken.None);
            Assert.Equal(HealthCheckOutcome.NotDefined, run.Outcome);
            Assert.Equal(HealthStatus.None, (await podman.InspectContainerAsync("pm-nohealth", CancellationToken.None)).Health);

            var passed = await podman.ExecAsync("pm-nohealth", ["test", "-f", "/www/health"], CancellationToken.None);
            Assert.Equal(0, passed.ExitCode);

            var failed = await podman.ExecAsync("pm-nohealth", ["sh", "-c", "echo checked; echo broken >&2; exit 7"], CancellationToken.None);
            Assert.Equal(7, failed.ExitCode);
            Assert.Contains("checked", failed.Output, StringComparison.Ordinal);
            Assert.Contains("broken", failed.Output, StringComparison.Ordinal);
            Assert.False(failed.OutputTruncated);

            var missing = await podman.ExecAsync("pm-nohealth", ["/no/such/program"], CancellationToken.None);
            Assert.NotEqual(0, missing.ExitCode);

            await Assert.ThrowsAsync<PodmanNotFoundException>(() => podman.ExecAsync("pm-no-such-container", ["true"], CancellationToken.None));
            await Assert.ThrowsAsync<PodmanNotFoundException>(() => podman.InspectContainerAsync("pm-no-such-container", CancellationToken.None));
        }
        finally
        {
            await testbed.ShellInGuestAsync("systemctl stop pm-nohealth.service");
        }
    }
}
