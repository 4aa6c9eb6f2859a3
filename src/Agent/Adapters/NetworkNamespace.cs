using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace UpdateAgent.Adapters;

/// <summary>
/// Creates sockets inside another network namespace (a container's), so a health probe reaches
/// <c>127.0.0.1:PORT</c> of a container whose port is not published. A socket keeps the namespace
/// it was created in: a dedicated thread enters the namespace (<c>setns</c>), creates the socket,
/// goes back, and ends — no pooled thread ever runs in the container's namespace. Needs
/// CAP_SYS_ADMIN (to enter) and, for <c>/proc/PID/ns/net</c>, CAP_SYS_PTRACE over the container's
/// process; <c>update-agent.service</c> keeps both for this alone.
/// </summary>
internal static partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>A stream socket of <paramref name="family"/> created in the namespace at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The namespace cannot be opened or entered; the message says which and why.</exception>
    public static Task<Socket> CreateSocketAsync(string path, AddressFamily family)
    {
        var created = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                created.SetResult(CreateHere(path, family));
            }
            catch (Exception e)
            {
                created.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns probe",
        };
        thread.Start();
        return created.Task;
    }

    // Runs on its own thread: the namespace is a property of the thread (task), not of the process.
    private static Socket CreateHere(string path, AddressFamily family)
    {
        var home = Open("/proc/thread-self/ns/net", "this thread's network namespace");
        try
        {
            var target = Open(path, "the container's network namespace");
            try
            {
                Enter(target, path);
                try
                {
                    return new Socket(family, SocketType.Stream, ProtocolType.Tcp);
                }
                finally
                {
                    // The thread ends right after; should going back fail, nothing else runs in it.
                    Enter(home, "/proc/thread-self/ns/net");
                }
            }
            finally
            {
                _ = Close(target);
            }
        }
        finally
        {
            _ = Close(home);
        }
    }

    private static int Open(string path, string what)
    {
        var fd = OpenFile(path, ReadOnly | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open {what} {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        return fd;
    }

    private static void Enter(int fd, string path)
    {
        if (SetNamespace(fd, CloneNewNet) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot enter the network namespace {path}: {Marshal.GetPInvokeErrorMessage(error)}" +
                (error == 1 ? " (entering a container's network namespace needs CAP_SYS_ADMIN)" : ""));
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int nstype);
}
