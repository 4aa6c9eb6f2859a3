using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// The anchor's behaviour, recorded as a test: on the same testbed, <c>podman auto-update</c> pulls
/// the zombie sibling's image and then the stale digest, because any digest change is an update to it.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class PodmanAutoUpdateContrastTests(TestbedFixture testbed, ITestOutputHelper output)
{
    [Fact]
    public async Task Podman_auto_update_pulls_the_zombie_and_the_stale_image_that_update_agent_refuses()
    {
        using var work = new EngineWorkspace(testbed, "anchor");
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.StartUnitAsync();

        var zombie = await work.ReleaseAsync("0.9.0-pre-fix", source: EngineWorkspace.ZombieSource, bless: false, sign: false);
        output.WriteLine(await testbed.ShellInGuestAsync("podman auto-update"));
        Assert.Equal(zombie, await work.RunningDigestAsync());

        await work.RepointLatestAsync(v1);
        output.WriteLine(await testbed.ShellInGuestAsync("podman auto-update"));
        Assert.Equal(v1, await work.RunningDigestAsync());
        await work.StopUnitAsync();
    }
}
