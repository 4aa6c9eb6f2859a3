using UpdateAgent.Configuration;
using UpdateAgent.Testing;

namespace UpdateAgent.Tests;

/// <summary>
/// Where there is no /usr/lib/update-agent/agent.toml (install.sh on an image-mode host puts
/// nothing under /usr), the built-in defaults apply: they must be what packaging/agent.toml says.
/// </summary>
public sealed class ShippedDefaultsTests
{
    [Fact]
    public void The_built_in_defaults_are_the_shipped_agent_toml()
    {
        var (shipped, errors) = AgentConfigLoader.Load([Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "agent.toml")]);
        Assert.Empty(errors);
        var (builtIn, none) = AgentConfigLoader.Load([]);
        Assert.Empty(none);
        Assert.Equal(shipped.PolicyPath, builtIn.PolicyPath);
        Assert.Equal(shipped.StateDirectory, builtIn.StateDirectory);
        Assert.Equal(shipped.PodmanSocket, builtIn.PodmanSocket);
        Assert.Equal(shipped.ApiSocket, builtIn.ApiSocket);
        Assert.Equal(shipped.ApiGroup, builtIn.ApiGroup);
        Assert.Equal(shipped.RestartTimeout, builtIn.RestartTimeout);
        Assert.Equal(shipped.OnUnverified, builtIn.OnUnverified);
        Assert.Equal(shipped.KeepImages, builtIn.KeepImages);
        Assert.Equal(shipped.HistoryDays, builtIn.HistoryDays);
        Assert.Equal(shipped.Schedule.Interval, builtIn.Schedule.Interval);
        Assert.Equal(shipped.Schedule.Jitter, builtIn.Schedule.Jitter);
        Assert.Equal(shipped.Schedule.Windows.Count, builtIn.Schedule.Windows.Count);
        Assert.Equal(shipped.Health, builtIn.Health);
        Assert.Empty(shipped.UnitHealth);
        // The shipped file names the standard system bus; without it the same bus is found the same way.
        Assert.Equal("unix:path=/run/dbus/system_bus_socket", shipped.DBusAddress);
    }
}
