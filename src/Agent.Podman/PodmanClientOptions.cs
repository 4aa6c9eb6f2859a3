namespace UpdateAgent.Podman;

/// <summary>Where the Podman API is and how long and how much a call may take.</summary>
public sealed record PodmanClientOptions
{
    /// <summary>The rootful Podman socket, used when nothing else is configured.</summary>
    public const string DefaultSocketPath = "/run/podman/podman.sock";

    /// <summary>Path of the Podman API's Unix socket.</summary>
    public string SocketPath { get; init; } = DefaultSocketPath;

    /// <summary>Time allowed for one ordinary call (list, inspect, tag, health check).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one pull, which downloads layers.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Time allowed for a command run inside a container.</summary>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest response body read from podman; more is an error rather than unbounded memory.</summary>
    public long MaxResponseBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Longest single line of a pull's progress stream.</summary>
    public int MaxStreamLineBytes { get; init; } = 1024 * 1024;

    /// <summary>How much of an exec'd command's output is kept.</summary>
    public int MaxExecOutputBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Options for the socket named by <c>CONTAINER_HOST=unix://PATH</c> when it is set, else the default socket.
    /// Other schemes are refused: this client talks to the local service only.
    /// </summary>
    /// <param name="containerHost">The value of <c>CONTAINER_HOST</c>, or <see langword="null"/> to read the environment.</param>
    public static PodmanClientOptions FromEnvironment(string? containerHost = null)
    {
        var value = containerHost ?? Environment.GetEnvironmentVariable("CONTAINER_HOST");
        if (string.IsNullOrWhiteSpace(value))
        {
            return new PodmanClientOptions();
        }
        const string Scheme = "unix://";
        if (!value.StartsWith(Scheme, StringComparison.Ordinal) || value.Length == Scheme.Length || value[Scheme.Length] != '/')
        {
            throw new ArgumentException(
                $"CONTAINER_HOST='{value}' is not supported: expected unix:///absolute/path/to/podman.sock", nameof(containerHost));
        }
        return new PodmanClientOptions { SocketPath = value[Scheme.Length..] };
    }
}
