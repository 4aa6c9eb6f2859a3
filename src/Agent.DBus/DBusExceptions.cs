namespace UpdateAgent.DBus;

/// <summary>The connection to the bus is gone (or could not be made); the message says why.</summary>
public sealed class DBusConnectionClosedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DBusConnectionClosedException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public DBusConnectionClosedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception without detail; prefer the overload with a message.</summary>
    public DBusConnectionClosedException() : base("the D-Bus connection is closed") { }
}

/// <summary>The peer answered a method call with an ERROR message.</summary>
public sealed class DBusErrorReplyException : Exception
{
    /// <summary>Creates the exception from the error name and its human-readable text.</summary>
    public DBusErrorReplyException(string errorName, string? errorMessage, string call)
        : base($"{call} failed: {errorName}: {errorMessage ?? "(no message)"}")
    {
        ErrorName = errorName;
        ErrorMessage = errorMessage;
    }

    /// <summary>Creates the exception without detail; prefer the main overload.</summary>
    public DBusErrorReplyException() : base("D-Bus error reply") => ErrorName = "";

    /// <summary>Creates the exception with a message.</summary>
    public DBusErrorReplyException(string message) : base(message) => ErrorName = "";

    /// <summary>Creates the exception with a message and cause.</summary>
    public DBusErrorReplyException(string message, Exception inner) : base(message, inner) => ErrorName = "";

    /// <summary>The D-Bus error name, e.g. <c>org.freedesktop.systemd1.NoSuchUnit</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The error's text, if it carried one.</summary>
    public string? ErrorMessage { get; }
}
