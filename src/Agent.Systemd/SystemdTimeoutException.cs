namespace UpdateAgent.Systemd;

/// <summary>A call got no reply within its limit; the connection may still be usable.</summary>
public sealed class SystemdTimeoutException : SystemdException
{
    /// <summary>Creates the exception without detail; prefer the overload with a message.</summary>
    public SystemdTimeoutException() : base("systemd did not reply in time") { }

    /// <summary>Creates the exception with a message.</summary>
    public SystemdTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SystemdTimeoutException(string message, Exception? inner) : base(message, inner) { }
}
