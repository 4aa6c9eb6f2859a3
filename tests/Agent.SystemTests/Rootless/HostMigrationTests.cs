using System.Text.Json;
using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Rootless;

/// <summary>
/// A host as podman auto-update leaves it — a root unit, a pod and a rootless user's unit, all
/// labelled — and <c>update-agent units --migration</c> run on it (inside the guest, with the host's
/// default sockets) naming each with what update-agent will do: the root unit managed, the pod
/// (through its own unit) needing a rule, the rootless unit the user instance's.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class HostMigrationTests(TestbedFixture testbed, ITestOutputHelper output)
{
    [Fact]
    public async Task Units_migration_names_a_root_unit_a_pod_and_a_rootless_unit()
    {
        var user = new RootlessUser(testbed);
        await user.EnsureAsync();
        using var work = new EngineWorkspace(testbed, "hmroot");
        using var pod = new EngineWorkspace(testbed, "hmpod");
        await work.ConfigureAsync();
        await work.ReleaseAsync("1.0.0");
        await pod.ReleaseAsync("1.0.0", sign: false, bless: false);
        var rootless = $"hmuser-{Guid.NewGuid():N}"[..13];
        var config = $"{GuestAgentFiles.Home}/migration-{work.Name}.toml";
        try
        {
            await work.StartUnitAsync();
            await GuestUnits.InstallAndStartAsync(testbed, pod.Unit, PodUnits.HandWrittenPod(pod));
            await user.ShellAsync($"podman pull -q {work.Latest}");
            await user.InstallUnitAsync(rootless, work.Latest, quadlet: testbed.Guest == Guests.Debian13);
            await user.ShellAsync($"systemctl --user daemon-reload && systemctl --user start {rootless}.service");
            await user.WaitRunningAsync(rootless);

            var policy = await GuestAgentFiles.InstallAsync(testbed, work);
            await testbed.WriteGuestFileAsync(config, $"[agent]\npolicy = \"{policy}\"\n");
            await testbed.ShellInGuestAsync($"chmod 600 {config}");
            var result = await testbed.RunInGuestAsync(GuestAgentFiles.Binary, "units", "--migration", "--json", "--config", config);
            output.WriteLine(result.StandardOutput);
            output.WriteLine(result.StandardError);
            Assert.Equal(0, result.ExitCode);
            var units = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("units").EnumerateArray().ToList();
            JsonElement Entry(string unit) => units.Single(u => u.GetProperty("unit").GetString() == unit);

            Assert.Equal("managed", Entry(work.Unit).GetProperty("verdict").GetString());
            // The pod is listed under its own unit, with the member container (not the infra).
            var podEntry = Entry(pod.Unit);
            Assert.Equal("needs a policy rule", podEntry.GetProperty("verdict").GetString());
            Assert.Equal(pod.Name, podEntry.GetProperty("containers").GetString());
            var userEntry = Entry($"user:{RootlessUser.Name}:{rootless}.service");
            Assert.Equal("not managed", userEntry.GetProperty("verdict").GetString());
            Assert.Contains("update-agent --user", userEntry.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await user.RunAsync($"systemctl --user stop {rootless}.service; rm -f ~/.config/systemd/user/{rootless}.service ~/.config/containers/systemd/{rootless}.container; systemctl --user daemon-reload");
            await testbed.RunInGuestAsync("systemctl", "stop", pod.Unit);
            await work.StopUnitAsync();
            await testbed.ShellInGuestAsync($"rm -rf {config} {work.Trust.Folder}");
        }
    }
}
