using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using UpdateAgent.Systemd.Journal;

namespace UpdateAgent.Systemd.Tests.Journal;

/// <summary>What one datagram brought: its payload, or the content and seals of the one descriptor it passed.</summary>
internal sealed record ReceivedEntry(byte[] Payload, byte[]? MemfdContent, int? MemfdSeals, int DescriptorCount)
{
    /// <summary>The entry, wherever it came.</summary>
    public byte[] Entry => MemfdContent ?? Payload;
}

/// <summary>
/// A Unix datagram socket bound in a temporary folder, standing in for journald: receives with
/// <c>recvmsg</c> so a descriptor passed with <c>SCM_RIGHTS</c> arrives too.
/// </summary>
internal sealed class UnixDatagramReceiver : IDisposable
{
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCmsgCloexec = 0x40000000;
    private const int MaxPayload = 32 * 1024 * 1024;

    private readonly string _folder = Directory.CreateTempSubdirectory("journal-sink-").FullName;
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public UnixDatagramReceiver()
    {
        Path = System.IO.Path.Combine(_folder, "socket");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _socket.ReceiveBufferSize = 8 * 1024 * 1024;
        // A deadline for a test that waits for a datagram that never comes, not a timing assertion.
        _socket.ReceiveTimeout = 30_000;
    }

    /// <summary>The socket's path, for the sink's options.</summary>
    public string Path { get; }

    /// <summary>Closes the socket and leaves its file behind, as a dead journald would.</summary>
    public void CloseKeepingFile() => _socket.Dispose();

    /// <summary>Whether a datagram is waiting.</summary>
    public bool HasPending => _socket.Available > 0 || _socket.Poll(0, SelectMode.SelectRead);

    /// <summary>The next datagram; fails when none arrives before the deadline.</summary>
    public ReceivedEntry Receive()
    {
        var pointer = IntPtr.Size;
        var payload = Marshal.AllocHGlobal(MaxPayload);
        var iov = Marshal.AllocHGlobal(2 * pointer);
        var control = Marshal.AllocHGlobal(256);
        var header = Marshal.AllocHGlobal(7 * pointer);
        try
        {
            // struct iovec { void *base; size_t len; }
            Marshal.WriteIntPtr(iov, 0, payload);
            Marshal.WriteIntPtr(iov, pointer, MaxPayload);
            // struct msghdr: name, namelen (padded to a pointer), iov, iovlen, control, controllen, flags.
            for (var i = 0; i < 7; i++)
            {
                Marshal.WriteIntPtr(header, i * pointer, 0);
            }
            Marshal.WriteIntPtr(header, 2 * pointer, iov);
            Marshal.WriteIntPtr(header, 3 * pointer, 1);
            Marshal.WriteIntPtr(header, 4 * pointer, control);
            Marshal.WriteIntPtr(header, 5 * pointer, 256);

            var received = recvmsg(_socket.SafeHandle, header, MsgCmsgCloexec);
            if (received < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"recvmsg: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
            }
            var bytes = new byte[received];
            Marshal.Copy(payload, bytes, 0, (int)received);

            // One control message at most: struct cmsghdr { size_t len; int level; int type; } then the fds.
            var controlLength = (long)Marshal.ReadIntPtr(header, 5 * pointer);
            if (controlLength == 0)
            {
                return new ReceivedEntry(bytes, null, null, 0);
            }
            var cmsgLength = (long)Marshal.ReadIntPtr(control, 0);
            Assert.Equal(SolSocket, Marshal.ReadInt32(control, pointer));
            Assert.Equal(ScmRights, Marshal.ReadInt32(control, pointer + 4));
            var dataOffset = (pointer + 8 + pointer - 1) & ~(pointer - 1);
            var count = (int)(cmsgLength - dataOffset) / sizeof(int);
            var fds = Enumerable.Range(0, count).Select(i => Marshal.ReadInt32(control, dataOffset + (i * sizeof(int)))).ToArray();
            using var memfd = new SafeFileHandle(fds[0], ownsHandle: true);
            foreach (var extra in fds.Skip(1))
            {
                new SafeFileHandle(extra, ownsHandle: true).Dispose();
            }
            var content = new byte[RandomAccess.GetLength(memfd)];
            Assert.Equal(content.Length, RandomAccess.Read(memfd, content, 0));
            return new ReceivedEntry(bytes, content, JournalNative.GetSeals(memfd), count);
        }
        finally
        {
            Marshal.FreeHGlobal(header);
            Marshal.FreeHGlobal(control);
            Marshal.FreeHGlobal(iov);
            Marshal.FreeHGlobal(payload);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint recvmsg(SafeHandle socket, IntPtr message, int flags);
}
