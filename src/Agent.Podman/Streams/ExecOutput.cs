using System.Buffers.Binary;
using System.Text;

namespace UpdateAgent.Podman.Streams;

/// <summary>
/// Reads the output of an exec started without a terminal: frames of an 8-byte header
/// (stream 0/1/2, three zero bytes, big-endian payload length) and the payload, until the end.
/// </summary>
internal static class ExecOutput
{
    private const int HeaderBytes = 8;

    /// <summary>Reads to the end, keeping at most <paramref name="keepBytes"/> of output.</summary>
    public static async Task<(string Text, bool Truncated)> ReadAsync(Stream stream, int keepBytes, CancellationToken cancellationToken)
    {
        var kept = new MemoryStream();
        var truncated = false;
        var header = new byte[HeaderBytes];
        var chunk = new byte[8 * 1024];
        while (true)
        {
            var got = await stream.ReadAtLeastAsync(header, HeaderBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                break;
            }
            if (got < HeaderBytes)
            {
                throw new InvalidDataException($"exec output ended inside a frame header ({got} of {HeaderBytes} bytes)");
            }
            if (header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
            {
                throw new InvalidDataException("exec output is not a multiplexed stream (bad frame header)");
            }
            var remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                var want = (int)Math.Min(remaining, (uint)chunk.Length);
                var read = await stream.ReadAsync(chunk.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new InvalidDataException($"exec output ended inside a frame ({remaining} bytes missing)");
                }
                var room = keepBytes - (int)kept.Length;
                if (room > 0)
                {
                    kept.Write(chunk, 0, Math.Min(room, read));
                }
                truncated |= read > room;
                remaining -= (uint)read;
            }
        }
        return (Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length), truncated);
    }
}
