using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// A unit runs <c>origin.invalid/engine/NAME:latest</c>, a registry that does not exist; registries.conf
/// (the agent's and the guest's podman's) mirrors that namespace to the loopback registry, where the
/// images and their signatures (signed for the origin's name) live. The agent resolves, verifies and
/// has podman pull through the mirror, and what runs is the candidate; when registries.conf then
/// blocks the namespace, the agent reports the unit unmanageable, naming the file, and moves nothing.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class RegistryMirrorTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Origin = "origin.invalid";

    [Fact]
    public async Task A_unit_whose_registry_is_reached_only_through_a_mirror_is_updated_through_it_and_a_blocked_one_is_unmanageable()
    {
        using var work = new EngineWorkspace(testbed, "mirror", registry: Origin) { StoredIn = testbed.Registry };
        var physical = $"{testbed.Registry}/engine/{work.Name}";
        var conf = Path.Combine(work.Trust.Folder, "registries.conf");
        var mirrored = $"""
            [[registry]]
            prefix = "{work.Repository}"
            location = "{work.Repository}"
            [[registry.mirror]]
            location = "{physical}"
            insecure = true
            """;
        await File.WriteAllTextAsync(conf, mirrored);
        var dropIn = $"/etc/containers/registries.conf.d/50-{work.Name}.conf";
        await testbed.WriteGuestFileAsync(dropIn, mirrored);
        // podman's API service reads registries.conf once and keeps it: a running one would pull
        // without the mirror. Its socket starts a fresh one, as on a host after a configuration change.
        await RestartPodmanServiceAsync();
        try
        {
            var v1 = await work.ReleaseAsync("1.0.0");
            await work.ConfigureAsync();
            UseRegistriesConf(work, conf);
            await work.StartUnitAsync();
            Assert.Equal(v1, await work.RunningDigestAsync());
            var v2 = await work.ReleaseAsync("1.1.0");

            var (exit, unit) = await work.CheckUnitAsync(output);

            await work.AssertUpdatedToAsync(exit, unit, v2);

            // The namespace is blocked now (podman would not pull it): a newer release is not even looked at, nothing moves.
            await File.WriteAllTextAsync(conf, BlockedTable(work.Repository));
            await work.ReleaseAsync("1.2.0");

            (exit, unit) = await work.CheckUnitAsync(output);

            Assert.Equal("unmanageable", unit.GetProperty("status").GetString());
            Assert.Contains($"blocked in {conf}", unit.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(v2, await work.RunningDigestAsync());
            Assert.Equal("active", await work.UnitStateAsync());
        }
        finally
        {
            await work.StopUnitAsync();
            await testbed.ShellInGuestAsync($"rm -f {dropIn}");
            await RestartPodmanServiceAsync();
        }
    }

    private Task RestartPodmanServiceAsync() => testbed.ShellInGuestAsync("systemctl stop podman.service");

    private static string BlockedTable(string repository) => $"""
        [[registry]]
        location = "{repository}"
        blocked = true
        """;

    /// <summary>Points the policy at the workspace's registries.conf, which also makes the mirror the only insecure place.</summary>
    private static void UseRegistriesConf(EngineWorkspace work, string conf)
    {
        var policyLine = File.ReadAllLines(work.ConfigPath).Single(l => l.TrimStart().StartsWith("policy = ", StringComparison.Ordinal));
        var policy = policyLine.Split('"')[1];
        var text = File.ReadAllText(policy).Replace("[registries]\n", $"[registries]\nregistries_conf = \"{conf}\"\n", StringComparison.Ordinal);
        Assert.Contains(conf, text, StringComparison.Ordinal);
        File.WriteAllText(policy, text);
    }
}
