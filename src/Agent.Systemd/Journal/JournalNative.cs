using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace UpdateAgent.Systemd.Journal;

/// <summary>
/// The few libc calls .NET has no API for: <c>memfd_create</c>, sealing with <c>fcntl</c>, and
/// <c>sendmsg</c> with an <c>SCM_RIGHTS</c> control message (Socket cannot pass descriptors).
/// </summary>
internal static unsafe partial class JournalNative
{
    /// <summary><c>sun_path</c> holds 108 bytes including the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    private const uint MfdCloexec = 0x0001;
    private const uint MfdAllowSealing = 0x0002;
    private const int FAddSeals = 1033;
    private const int FGetSeals = 1034;
    private const int FSealSeal = 0x1;
    private const int FSealShrink = 0x2;
    private const int FSealGrow = 0x4;
    private const int FSealWrite = 0x8;
    private const ushort AfUnix = 1;
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgNoSignal = 0x4000;
    private const int EIntr = 4;

    /// <summary>The seals journald checks for (older versions want exactly all four).</summary>
    public const int JournalSeals = FSealShrink | FSealGrow | FSealWrite | FSealSeal;

    /// <summary>
    /// A memfd holding exactly <paramref name="content"/>, sealed so that nobody, us included, can
    /// change it after journald has checked it.
    /// </summary>
    public static SafeFileHandle CreateSealedMemfd(string name, ReadOnlySpan<byte> content)
    {
        var fd = memfd_create(name, MfdCloexec | MfdAllowSealing);
        if (fd < 0)
        {
            throw Failure("memfd_create");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            RandomAccess.Write(handle, content, fileOffset: 0);
            if (fcntl(fd, FAddSeals, JournalSeals) < 0)
            {
                throw Failure("fcntl(F_ADD_SEALS)");
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The seals on <paramref name="handle"/> (<c>F_GET_SEALS</c>).</summary>
    public static int GetSeals(SafeFileHandle handle)
    {
        var seals = fcntl((int)handle.DangerousGetHandle(), FGetSeals, 0);
        return seals >= 0 ? seals : throw Failure("fcntl(F_GET_SEALS)");
    }

    /// <summary>
    /// Sends one datagram with an empty payload whose only content is <paramref name="fd"/> in an
    /// <c>SCM_RIGHTS</c> message: journald ignores a datagram carrying both data and a descriptor.
    /// </summary>
    public static void SendDescriptor(SafeHandle socket, string socketPath, SafeFileHandle fd)
    {
        // struct sockaddr_un: sa_family_t, then the path, NUL-terminated.
        Span<byte> address = stackalloc byte[2 + MaxSocketPathBytes + 1];
        address.Clear();
        var family = AfUnix;
        MemoryMarshal.Write(address, in family);
        var pathLength = Encoding.UTF8.GetBytes(socketPath, address[2..^1]);

        var headerSize = Align(sizeof(CmsgHdr));
        var controlSize = headerSize + Align(sizeof(int));
        var control = stackalloc byte[controlSize];
        new Span<byte>(control, controlSize).Clear();
        var cmsg = (CmsgHdr*)control;
        cmsg->Length = (nuint)(headerSize + sizeof(int));
        cmsg->Level = SolSocket;
        cmsg->Type = ScmRights;

        var added = false;
        fd.DangerousAddRef(ref added);
        try
        {
            *(int*)(control + headerSize) = (int)fd.DangerousGetHandle();
            fixed (byte* name = address)
            {
                var message = new MsgHdr
                {
                    Name = name,
                    NameLength = (uint)(2 + pathLength + 1),
                    Control = control,
                    ControlLength = (nuint)controlSize,
                };
                nint sent;
                do
                {
                    sent = sendmsg(socket, &message, MsgNoSignal);
                }
                while (sent < 0 && Marshal.GetLastPInvokeError() == EIntr);
                if (sent < 0)
                {
                    throw Failure($"sendmsg to {socketPath}");
                }
            }
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    // CMSG_ALIGN: control message parts are aligned to the size of size_t.
    private static int Align(int size) => (size + IntPtr.Size - 1) & ~(IntPtr.Size - 1);

    private static IOException Failure(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public void* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    // fcntl is variadic; every command used here takes one int, passed like a fixed int argument.
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint sendmsg(SafeHandle socket, MsgHdr* message, int flags);
}
