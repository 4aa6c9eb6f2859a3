using System.Runtime.InteropServices;

namespace UpdateAgent.Hosting;

/// <summary>Sends a signal to this process, as <c>systemctl stop</c> would (fault tests only).</summary>
internal static partial class SelfSignal
{
    private const int SigTerm = 15;

    /// <summary>SIGTERM to this process; delivered asynchronously, like the real one.</summary>
    public static void Terminate() => _ = Kill(Environment.ProcessId, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
