using System.Net;

namespace UpdateAgent.Podman;

/// <summary>A Podman call failed; the message names the container or image and says why.</summary>
public class PodmanException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subject">The container or image the call was about.</param>
    /// <param name="message">The full message (already naming the subject).</param>
    /// <param name="statusCode">The HTTP status podman answered with, if it answered.</param>
    /// <param name="innerException">The underlying failure.</param>
    public PodmanException(string subject, string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Subject = subject;
        StatusCode = statusCode;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public PodmanException() : this("", "podman call failed")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public PodmanException(string message) : this("", message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PodmanException(string message, Exception innerException) : this("", message, null, innerException)
    {
    }

    /// <summary>The container or image the failed call was about.</summary>
    public string Subject { get; }

    /// <summary>The HTTP status podman answered with; <see langword="null"/> when it did not answer or the failure came later.</summary>
    public HttpStatusCode? StatusCode { get; }
}
