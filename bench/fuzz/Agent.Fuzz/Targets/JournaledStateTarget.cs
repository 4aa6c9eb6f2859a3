using System.Text;
using UpdateAgent.Core.History;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>An update's state as the history journal stores it. Handled: null for text that is not one.</summary>
internal static class JournaledStateTarget
{
    public static FuzzTarget Target { get; } = new("journaled-state", "none: null for text that is not a state", Run);

    private static void Run(byte[] input) => JournaledState.TryParse(Encoding.UTF8.GetString(input));
}
