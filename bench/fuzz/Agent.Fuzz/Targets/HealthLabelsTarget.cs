using System.Text;
using UpdateAgent.Core.Health;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A container's labels that set its unit's health gate. The input is one <c>key=value</c> label
/// per line, as <c>podman run --label</c> takes them. Handled: nothing may escape; a bad label is
/// a message in the error list and leaves that setting as configured.
/// </summary>
internal static class HealthLabelsTarget
{
    public static FuzzTarget Target { get; } = new("health-labels", "none: bad labels are messages in the error list", Run);

    private static readonly HealthGateSettings Configured = new();

    private static void Run(byte[] input)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(input).Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                labels[line[..equals]] = line[(equals + 1)..];
            }
        }
        Configured.WithLabels(labels, new List<string>());
    }
}
