namespace UpdateAgent.Core.History;

/// <summary>
/// The history store cannot be opened or is corrupt. The message is one line that names the file
/// and what to do; the daemon stops with it and the guard refuses with it.
/// </summary>
public sealed class HistoryStoreException : Exception
{
    /// <summary>Creates the exception with its one-line reason.</summary>
    public HistoryStoreException(string message) : base(message) { }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public HistoryStoreException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a generic reason.</summary>
    public HistoryStoreException() : base("the history store cannot be used") { }

    /// <summary>The one-line reason for the store at <paramref name="path"/>.</summary>
    internal static HistoryStoreException For(string path, string problem, Exception? inner = null)
    {
        var message = $"the history store {path} {problem}; move it aside (it is evidence) and start again with an empty store, or restore it from a backup";
        return inner is null ? new HistoryStoreException(message) : new HistoryStoreException(message, inner);
    }
}
