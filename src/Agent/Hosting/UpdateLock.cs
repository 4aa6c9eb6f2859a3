namespace UpdateAgent.Hosting;

/// <summary>
/// The lock that keeps the daemon and a command (or two commands) from updating units at once:
/// an exclusive lock on a file in the state directory, released when the process ends, however it ends.
/// </summary>
internal sealed class UpdateLock : IDisposable
{
    private readonly FileStream _file;

    private UpdateLock(FileStream file) => _file = file;

    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, "update.lock");

    /// <summary>Takes the lock, or returns null at once when someone else holds it.</summary>
    public static UpdateLock? TryAcquire(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        try
        {
            // FileShare.None makes .NET take an exclusive advisory lock (flock) on Unix.
            return new UpdateLock(new FileStream(PathIn(stateDirectory), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
