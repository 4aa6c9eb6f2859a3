using System.CommandLine;

namespace UpdateAgent.Hosting;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config")
    {
        Description = "Agent configuration file (default: /usr/lib/update-agent/agent.toml, /etc/update-agent/agent.toml, /etc/update-agent/agent.d/*.toml)",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON" };
}
