namespace UpdateAgent.Systemd;

/// <summary>A systemd job could not be run or followed to its end; the message names the unit and why.</summary>
public sealed class SystemdJobException : SystemdException
{
    /// <summary>Creates the exception for <paramref name="unit"/>.</summary>
    public SystemdJobException(string unit, string message, Exception? inner = null) : base(message, inner) => Unit = unit;

    /// <summary>Creates the exception without detail; prefer the main overload.</summary>
    public SystemdJobException() : base("systemd job failed") => Unit = "";

    /// <summary>Creates the exception with a message.</summary>
    public SystemdJobException(string message) : base(message) => Unit = "";

    /// <summary>Creates the exception with a message and cause.</summary>
    public SystemdJobException(string message, Exception inner) : base(message, inner) => Unit = "";

    /// <summary>The unit the job was for.</summary>
    public string Unit { get; }
}
