namespace UpdateAgent.Core.History;

/// <summary>The operating system's SQLite library is not installed; the message says which package brings it.</summary>
public sealed class SystemSqliteMissingException : Exception
{
    /// <summary>Creates the exception with its one-line reason.</summary>
    public SystemSqliteMissingException(string message) : base(message) { }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public SystemSqliteMissingException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with the standard reason.</summary>
    public SystemSqliteMissingException() : base($"the system SQLite library ({SystemSqlite.LibraryName}) is not installed: {SystemSqlite.PackageHint}") { }
}
