using System.Runtime.CompilerServices;

namespace UpdateAgent.Podman.Streams;

/// <summary>Splits a newline-delimited stream into lines, refusing any line longer than a limit.</summary>
internal static class JsonLines
{
    private const int InitialBufferBytes = 16 * 1024;

    /// <summary>Yields each non-blank line (without its newline), reading <paramref name="stream"/> to its end.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(
        Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(InitialBufferBytes, maxLineBytes + 1)];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length > maxLineBytes)
                {
                    throw new ResponseTooLargeException($"a line of the stream is longer than the limit of {maxLineBytes} bytes");
                }
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxLineBytes + 1));
            }
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (!IsBlank(buffer.AsSpan(0, filled)))
                {
                    yield return WithoutCarriageReturn(buffer.AsMemory(0, filled));
                }
                yield break;
            }
            var scanFrom = filled;
            filled += read;
            var lineStart = 0;
            int newline;
            while ((newline = buffer.AsSpan(scanFrom, filled - scanFrom).IndexOf((byte)'\n')) >= 0)
            {
                var lineEnd = scanFrom + newline;
                if (lineEnd - lineStart > maxLineBytes)
                {
                    throw new ResponseTooLargeException($"a line of the stream is longer than the limit of {maxLineBytes} bytes");
                }
                if (!IsBlank(buffer.AsSpan(lineStart, lineEnd - lineStart)))
                {
                    yield return WithoutCarriageReturn(buffer.AsMemory(lineStart, lineEnd - lineStart));
                }
                lineStart = lineEnd + 1;
                scanFrom = lineStart;
            }
            buffer.AsSpan(lineStart, filled - lineStart).CopyTo(buffer);
            filled -= lineStart;
        }
    }

    /// <summary>A copy of the line without a CRLF's CR: the buffer is reused while the caller may still hold the line.</summary>
    private static byte[] WithoutCarriageReturn(Memory<byte> line) =>
        (line.Span is [.., (byte)'\r'] ? line[..^1] : line).ToArray();

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;
}
