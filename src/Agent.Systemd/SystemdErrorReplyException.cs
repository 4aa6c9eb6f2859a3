namespace UpdateAgent.Systemd;

/// <summary>systemd (or the bus on its behalf) answered a call with a D-Bus error.</summary>
public sealed class SystemdErrorReplyException : SystemdException
{
    /// <summary>Creates the exception from the error name, its text and the call that failed.</summary>
    public SystemdErrorReplyException(string errorName, string? errorMessage, string call)
        : base($"{call} failed: {errorName}: {errorMessage ?? "(no message)"}")
    {
        ErrorName = errorName;
        ErrorMessage = errorMessage;
    }

    /// <summary>Creates the exception without detail; prefer the main overload.</summary>
    public SystemdErrorReplyException() : base("systemd answered with an error") => ErrorName = "";

    /// <summary>Creates the exception with a message.</summary>
    public SystemdErrorReplyException(string message) : base(message) => ErrorName = "";

    /// <summary>Creates the exception with a message and cause.</summary>
    public SystemdErrorReplyException(string message, Exception? inner) : base(message, inner) => ErrorName = "";

    /// <summary>The D-Bus error name, e.g. <c>org.freedesktop.systemd1.NoSuchUnit</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The error's text, if it carried one.</summary>
    public string? ErrorMessage { get; }
}
