using UpdateAgent.Podman.Libpod;
using UpdateAgent.Podman;
using UpdateAgent.Podman.Streams;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// The body of a libpod pull: JSON lines of progress, errors and the pulled image's ID. Handled:
/// <see cref="PodmanException"/> (a failed pull, a line that is not JSON, no image named) and
/// <see cref="ResponseTooLargeException"/> (a line over the limit; the call policy turns it into a
/// PodmanException).
/// </summary>
internal static class PullStreamTarget
{
    public static FuzzTarget Target { get; } = new("pull-stream", "PodmanException, ResponseTooLargeException", Run);

    private static void Run(byte[] input)
    {
        using var body = new MemoryStream(input, writable: false);
        try
        {
            PullStream.ReadImageIdAsync(body, "registry.test/acme/app:1", 1024, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is PodmanException or ResponseTooLargeException)
        {
        }
    }
}
