using System.Net;

namespace UpdateAgent.Podman;

/// <summary>The container or image named in a call does not exist.</summary>
public sealed class PodmanNotFoundException : PodmanException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subject">The container or image that was not found.</param>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The underlying failure.</param>
    public PodmanNotFoundException(string subject, string message, Exception? innerException = null)
        : base(subject, message, HttpStatusCode.NotFound, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PodmanNotFoundException() : base("", "not found", HttpStatusCode.NotFound)
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public PodmanNotFoundException(string message) : base("", message, HttpStatusCode.NotFound)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PodmanNotFoundException(string message, Exception innerException) : base("", message, HttpStatusCode.NotFound, innerException)
    {
    }
}
