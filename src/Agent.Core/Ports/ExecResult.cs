namespace UpdateAgent.Core.Ports;

/// <summary>How a command run inside a container ended (an <c>exec</c> health probe).</summary>
/// <param name="ExitCode">Its exit code: 0 is healthy.</param>
/// <param name="Output">What it printed, bounded.</param>
/// <param name="OutputTruncated">Whether <paramref name="Output"/> was cut.</param>
public sealed record ExecResult(int ExitCode, string Output, bool OutputTruncated);
