using System.Text;
using UpdateAgent.Configuration;
using UpdateAgent.Core.Configuration;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// The agent's own TOML (<c>agent.toml</c> and its drop-ins), applied on top of the defaults.
/// Handled: nothing may escape; every problem is a PolicyError in the list.
/// </summary>
internal static class AgentConfigTarget
{
    public static FuzzTarget Target { get; } = new("agent-config", "none: problems are PolicyErrors in the list", Run);

    private static void Run(byte[] input) =>
        AgentConfigLoader.Apply(new AgentSettings(), Encoding.UTF8.GetString(input), "fuzz/agent.toml", []);
}
