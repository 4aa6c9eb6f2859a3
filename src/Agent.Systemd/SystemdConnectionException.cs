namespace UpdateAgent.Systemd;

/// <summary>The connection to systemd's bus could not be made or was lost; the message says where and why.</summary>
public sealed class SystemdConnectionException : SystemdException
{
    /// <summary>Creates the exception without detail; prefer the overload with a message.</summary>
    public SystemdConnectionException() : base("the connection to systemd's bus is closed") { }

    /// <summary>Creates the exception with a message.</summary>
    public SystemdConnectionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SystemdConnectionException(string message, Exception? inner) : base(message, inner) { }
}
