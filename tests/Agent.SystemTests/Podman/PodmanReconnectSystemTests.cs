using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Podman;

[Collection(TestbedCollection.Name)]
public sealed class PodmanReconnectSystemTests(TestbedFixture testbed)
{
    [Fact]
    public async Task Calls_keep_working_after_the_podman_service_exits()
    {
        var image = $"{testbed.Registry}/pm-reconnect/app:latest";
        await testbed.PushImageAsync(image);
        await GuestUnits.InstallAndStartAsync(testbed, "pm-reconnect.service", GuestUnits.Container("pm-reconnect", image));
        try
        {
            using var podman = PodmanUnits.Client(testbed);
            var before = await podman.InspectContainerAsync("pm-reconnect", CancellationToken.None);

            // The pooled connection from the call above now points at a service that is gone;
            // the socket unit stays and starts a new service on the next connection.
            await testbed.ShellInGuestAsync("systemctl stop podman.service && ! systemctl is-active podman.service");
            var after = await podman.InspectContainerAsync("pm-reconnect", CancellationToken.None);
            Assert.Equal(before.Id, after.Id);

            await testbed.ShellInGuestAsync("systemctl stop podman.service");
            Assert.True(await podman.ImageExistsAsync(image, CancellationToken.None));

            await testbed.ShellInGuestAsync("systemctl stop podman.service");
            var discovered = await podman.DiscoverUnitsAsync(CancellationToken.None);
            Assert.Contains(discovered.Units, u => u.UnitName == "pm-reconnect.service");
        }
        finally
        {
            await testbed.ShellInGuestAsync("systemctl stop pm-reconnect.service");
        }
    }
}
