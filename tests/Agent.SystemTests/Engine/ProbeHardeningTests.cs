using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// The hardening of <c>units/update-agent.service</c> lets a process enter a container's network
/// namespace (what the HTTP health probe does) and no less would: each relaxation is needed.
/// Checked with <c>nsenter --net</c> under <c>systemd-run</c> with the unit's own settings.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class ProbeHardeningTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private static readonly string[] Sandbox =
    [
        "CapabilityBoundingSet", "AmbientCapabilities", "NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp",
        "PrivateDevices", "DevicePolicy", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
        "ProtectControlGroups", "ProtectClock", "ProtectHostname", "ProcSubset", "RestrictAddressFamilies", "RestrictNamespaces",
        "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality", "MemoryDenyWriteExecute", "SystemCallArchitectures",
        "SystemCallFilter", "SystemCallErrorNumber", "PrivateMounts",
    ];

    [Fact]
    public async Task The_units_hardening_lets_the_probe_enter_a_containers_network_namespace_and_each_relaxation_is_needed()
    {
        var name = $"netns-{Guid.NewGuid():N}"[..13];
        var image = $"{testbed.Registry}/engine/{name}:latest";
        await testbed.PushImageAsync(image);
        await testbed.ShellInGuestAsync($"podman run -d --rm --name {name} --network none {image}");
        try
        {
            var pid = (await testbed.ShellInGuestAsync($"podman inspect {name} --format '{{{{.State.Pid}}}}'")).Trim();
            var lines = File.ReadAllLines(Path.Combine(ProcessRunner.RepositoryRoot, "units", "update-agent.service"))
                .Where(l => Sandbox.Any(key => l.StartsWith(key + "=", StringComparison.Ordinal))).ToList();

            Assert.Equal(0, await EnterAsync(lines, pid));
            Assert.NotEqual(0, await EnterAsync(lines.Select(l => l.Replace(" CAP_SYS_PTRACE", "", StringComparison.Ordinal)), pid));
            Assert.NotEqual(0, await EnterAsync(lines.Select(l => l.Replace(" CAP_SYS_ADMIN", "", StringComparison.Ordinal)), pid));
            Assert.NotEqual(0, await EnterAsync(lines.Select(l => l == "RestrictNamespaces=net" ? "RestrictNamespaces=yes" : l), pid));
        }
        finally
        {
            await testbed.RunInGuestAsync("podman", "rm", "-f", "-t", "0", name);
        }
    }

    private async Task<int> EnterAsync(IEnumerable<string> properties, string pid)
    {
        string[] command = ["systemd-run", "--wait", "--pipe", "--quiet", .. properties.SelectMany(p => new[] { "-p", p }), "nsenter", $"--net=/proc/{pid}/ns/net", "true"];
        var result = await testbed.RunInGuestAsync(command);
        output.WriteLine($"{string.Join(' ', command)} → {result.ExitCode} {result.StandardError.Trim()}");
        return result.ExitCode;
    }
}
