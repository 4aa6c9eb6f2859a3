using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Podman;

[Collection(TestbedCollection.Name)]
public sealed class PodmanDiscoverySystemTests(TestbedFixture testbed, ITestOutputHelper output)
{
    [Fact]
    public async Task Discovery_groups_containers_by_unit_and_reports_a_container_without_a_unit()
    {
        var single = $"{testbed.Registry}/pm-discovery/single:latest";
        var shared = $"{testbed.Registry}/pm-discovery/shared:latest";
        var singleDigest = await testbed.PushImageAsync(single);
        var sharedDigest = await testbed.PushImageAsync(shared);
        await GuestUnits.InstallAndStartAsync(testbed, "pm-single.service",
            GuestUnits.Container("pm-single", single, "--network none --label io.containers.autoupdate.health-cmd=true"));
        await GuestUnits.InstallAndStartAsync(testbed, "pm-pair.service", PodmanUnits.Pair("pm-pair-a", "pm-pair-b", shared));
        // Started from a shell, not a unit: no PODMAN_SYSTEMD_UNIT label.
        await testbed.ShellInGuestAsync($"podman run --replace -d --name pm-orphan --network none --label io.containers.autoupdate=registry {single}");
        try
        {
            using var podman = PodmanUnits.Client(testbed);
            var result = await podman.DiscoverUnitsAsync(CancellationToken.None);
            foreach (var unit in result.Units)
            {
                output.WriteLine($"{unit.UnitName}: {unit.Policy} {unit.ImageReference} {unit.ImageId} [{string.Join(", ", unit.RepoDigests)}] {string.Join(", ", unit.Containers.Select(c => c.Name))}");
            }
            foreach (var problem in result.Problems)
            {
                output.WriteLine($"problem: {problem.Subject}: {problem.Message}");
            }

            var one = Assert.Single(result.Units, u => u.UnitName == "pm-single.service");
            Assert.Equal(single, one.ImageReference);
            Assert.Contains($"{testbed.Registry}/pm-discovery/single@{singleDigest}", one.RepoDigests);
            var container = Assert.Single(one.Containers);
            Assert.Equal("pm-single", container.Name);
            Assert.Equal("true", container.AutoUpdateLabels["io.containers.autoupdate.health-cmd"]);

            var pair = Assert.Single(result.Units, u => u.UnitName == "pm-pair.service");
            Assert.Equal(UpdateAgent.Podman.AutoUpdatePolicy.Registry, pair.Policy);
            Assert.Equal(["pm-pair-a", "pm-pair-b"], pair.Containers.Select(c => c.Name));
            Assert.Equal(shared, pair.ImageReference);
            Assert.Contains($"{testbed.Registry}/pm-discovery/shared@{sharedDigest}", pair.RepoDigests);
            Assert.Equal("soak", pair.Containers[0].AutoUpdateLabels["io.containers.autoupdate.gate"]);
            Assert.All(pair.Containers, c => Assert.Equal(pair.ImageId, c.ImageId));

            var orphan = Assert.Single(result.Problems, p => p.Subject == "pm-orphan");
            Assert.Contains("PODMAN_SYSTEMD_UNIT", orphan.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(result.Units, u => u.Containers.Any(c => c.Name == "pm-orphan"));
        }
        finally
        {
            await testbed.ShellInGuestAsync("podman rm -f -t 0 pm-orphan; systemctl stop pm-single.service pm-pair.service");
        }
    }
}
