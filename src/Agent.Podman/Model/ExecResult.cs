namespace UpdateAgent.Podman;

/// <summary>How a command run inside a container ended.</summary>
/// <param name="ExitCode">The command's exit code.</param>
/// <param name="Output">Its standard output and error interleaved, cut at the client's output limit.</param>
/// <param name="OutputTruncated">Whether <paramref name="Output"/> was cut.</param>
public sealed record ExecResult(int ExitCode, string Output, bool OutputTruncated);
