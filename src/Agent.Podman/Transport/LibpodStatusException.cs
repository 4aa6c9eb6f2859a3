using System.Net;

namespace UpdateAgent.Podman.Transport;

/// <summary>Podman answered a libpod call with an error status; the body is kept for the message.</summary>
internal sealed class LibpodStatusException(HttpStatusCode statusCode, string body)
    : Exception($"podman answered {(int)statusCode}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public string Body { get; } = body;
}
