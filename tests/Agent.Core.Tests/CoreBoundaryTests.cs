using UpdateAgent.Core.Engine;

namespace UpdateAgent.Core.Tests;

/// <summary>
/// Core owns its ports: the engine speaks to podman, systemd and the registry only through its own
/// interfaces, so its assembly must not reference the libraries that talk to them (the adapters in
/// the executable do).
/// </summary>
public sealed class CoreBoundaryTests
{
    [Fact]
    public void Core_references_no_podman_systemd_trust_or_dbus_assembly()
    {
        var forbidden = new[] { "UpdateAgent.Podman", "UpdateAgent.Systemd", "UpdateAgent.Trust", "Agent.Podman", "Agent.Systemd", "Agent.Trust", "Tmds.DBus" };
        var referenced = typeof(UpdateEngine).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        var wrong = referenced.Where(name => forbidden.Any(f => name.StartsWith(f, StringComparison.OrdinalIgnoreCase))
            || name.Contains("DBus", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(wrong.Count == 0, $"Agent.Core references {string.Join(", ", wrong)}");
    }
}
