using System.Buffers.Binary;
using System.Net.Sockets;

namespace UpdateAgent.Api;

/// <summary>Who is on the other end of a Unix socket, from the kernel (SO_PEERCRED), not from anything the caller says.</summary>
internal readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static PeerCredentials? Of(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, buffer) < 12)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null;
        }
        return new PeerCredentials(BinaryPrimitives.ReadInt32LittleEndian(buffer), BinaryPrimitives.ReadUInt32LittleEndian(buffer[4..]), BinaryPrimitives.ReadUInt32LittleEndian(buffer[8..]));
    }

    /// <summary>Whether the peer is in group <paramref name="gid"/>, as its primary or a supplementary group.</summary>
    public bool InGroup(uint gid)
    {
        if (Gid == gid)
        {
            return true;
        }
        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith("Groups:", StringComparison.Ordinal));
            return line?[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(g => g == gid.ToString(System.Globalization.CultureInfo.InvariantCulture)) == true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
