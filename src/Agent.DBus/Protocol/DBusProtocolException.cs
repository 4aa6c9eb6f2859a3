namespace UpdateAgent.DBus.Protocol;

/// <summary>
/// Bytes from the peer that break the D-Bus wire format. The message is rejected as a whole;
/// on a connection it ends the connection, as the specification asks.
/// </summary>
public sealed class DBusProtocolException : Exception
{
    /// <summary>Creates the exception with a message that names what was wrong and where.</summary>
    public DBusProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the cause.</summary>
    public DBusProtocolException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates an exception without detail; prefer the overload with a message.</summary>
    public DBusProtocolException() : base("malformed D-Bus data") { }
}
