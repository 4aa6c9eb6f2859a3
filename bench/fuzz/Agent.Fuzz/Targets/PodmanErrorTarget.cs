using System.Net;
using Docker.DotNet;
using Microsoft.Extensions.Logging.Abstractions;
using UpdateAgent.Podman;
using UpdateAgent.Podman.Libpod;
using UpdateAgent.Podman.Transport;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// The body of a non-2xx podman answer (<c>{"cause","message","response"}</c> from both API
/// families), decoded as the clients decode it. It goes to the line a 409 from the health check
/// becomes, and through the call policy as the failure each client throws for 404, 409 and 500
/// (libpod's status exception, Docker.DotNet's API exception). Handled: <see cref="PodmanException"/>
/// (the policy's translation of every answered failure; a 404 is a PodmanNotFoundException); the
/// 409 line may throw nothing.
/// </summary>
internal static class PodmanErrorTarget
{
    public static FuzzTarget Target { get; } = new("podman-error", "PodmanException from the call policy; nothing from the 409 line", Run);

    private static readonly HttpStatusCode[] Statuses = [HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.InternalServerError];

    // Never connects: the failures below are answers, and only a failed connection makes it reconnect.
    private static readonly CallPolicy Policy =
        new(new ReconnectingHandler(() => new SocketsHttpHandler()), "/fuzz/podman.sock", TimeProvider.System, NullLogger.Instance);

    private static void Run(byte[] input)
    {
        string body;
        using (var content = new ByteArrayContent(input))
        {
            body = content.ReadAsStringAsync().GetAwaiter().GetResult();
        }
        ApiErrorText.From(body);
        foreach (var status in Statuses)
        {
            Answer(new LibpodStatusException(status, body));
            Answer(new DockerApiException(status, body));
        }
    }

    private static void Answer(Exception failure)
    {
        try
        {
            Policy.RunAsync("inspect container", "web", TimeSpan.FromMinutes(1), _ => Task.FromException<bool>(failure), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (PodmanException)
        {
        }
    }
}
