using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace UpdateAgent.DBus.Transport;

/// <summary>
/// The text phase of a connection: one NUL byte, <c>AUTH EXTERNAL &lt;hex uid&gt;</c>, wait for
/// <c>OK &lt;guid&gt;</c>, then <c>BEGIN</c>. Unix fd passing is not negotiated: nothing here uses it.
/// </summary>
internal static partial class SaslClient
{
    /// <summary>A server line longer than this is refused rather than buffered.</summary>
    public const int MaxLineLength = 16 * 1024;

    /// <summary>Authenticates and returns the server's GUID.</summary>
    public static async Task<string> AuthenticateAsync(IMessageTransport transport, uint uid, CancellationToken cancellationToken)
    {
        var hexUid = Convert.ToHexStringLower(Encoding.ASCII.GetBytes(uid.ToString(CultureInfo.InvariantCulture)));
        await transport.SendAsync(Encoding.ASCII.GetBytes($"\0AUTH EXTERNAL {hexUid}\r\n"), cancellationToken).ConfigureAwait(false);
        var line = await ReadLineAsync(transport, cancellationToken).ConfigureAwait(false);
        if (line.StartsWith("REJECTED", StringComparison.Ordinal))
        {
            throw new DBusConnectionClosedException($"the bus rejected EXTERNAL authentication as uid {uid} (server offers: {line[8..].Trim()})");
        }
        if (!line.StartsWith("OK ", StringComparison.Ordinal))
        {
            throw new DBusConnectionClosedException($"unexpected answer to AUTH: '{line}'");
        }
        var guid = line[3..].Trim();
        if (guid.Length != 32 || !guid.All(Uri.IsHexDigit))
        {
            throw new DBusConnectionClosedException($"server GUID '{guid}' is not 32 hex digits");
        }
        await transport.SendAsync("BEGIN\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        return guid;
    }

    /// <summary>The effective uid of this process, which the server checks against the socket's credentials.</summary>
    public static uint EffectiveUid => geteuid();

    // Reads byte by byte: the server sends nothing after OK until BEGIN, so no binary data can be
    // swallowed, and the handshake is a few dozen bytes.
    private static async Task<string> ReadLineAsync(IMessageTransport transport, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await transport.ReceiveAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new DBusConnectionClosedException($"the bus closed the connection during authentication (after '{line}')");
            }
            if (one[0] == (byte)'\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }
            if (one[0] is 0 or > 127)
            {
                throw new DBusConnectionClosedException("the bus sent a non-ASCII byte during authentication");
            }
            if (line.Length >= MaxLineLength)
            {
                throw new DBusConnectionClosedException($"authentication line longer than {MaxLineLength} bytes");
            }
            line.Append((char)one[0]);
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
