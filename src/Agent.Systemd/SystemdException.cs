namespace UpdateAgent.Systemd;

/// <summary>
/// Talking to systemd failed. This is the one base a caller catches; the kinds say why: the bus
/// connection is gone or could not be made (<see cref="SystemdConnectionException"/>), systemd
/// answered with an error (<see cref="SystemdErrorReplyException"/>), no reply came in time
/// (<see cref="SystemdTimeoutException"/>), or a job could not be followed to its end
/// (<see cref="SystemdJobException"/>). The message names the call.
/// </summary>
public class SystemdException : Exception
{
    /// <summary>Creates the exception without detail; prefer the overload with a message.</summary>
    public SystemdException() : base("talking to systemd failed") { }

    /// <summary>Creates the exception with a message.</summary>
    public SystemdException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SystemdException(string message, Exception? inner) : base(message, inner) { }
}
