using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace UpdateAgent.Core.Configuration;

/// <summary>
/// A file's owner, which .NET does not expose. <c>statx</c> is used because its layout is the same
/// on every Linux architecture, unlike <c>struct stat</c>.
/// </summary>
internal static partial class UnixStat
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;
    private const int UidOffset = 20;

    /// <summary>The owner's uid, or null when the file cannot be examined.</summary>
    public static uint? OwnerOf(string path)
    {
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, 0, StatxUid, buffer) != 0)
        {
            return null;
        }
        // The kernel writes the struct in the machine's own byte order.
        return BitConverter.IsLittleEndian
            ? BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(UidOffset))
            : BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(UidOffset));
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
}
