using System.Globalization;
using System.Text;

namespace UpdateAgent.Systemd.Journal;

/// <summary>
/// Field values as bytes, never longer than a cap. A value that had to be cut ends with a marker
/// saying so, so a reader of the journal knows the value is incomplete rather than guessing.
/// </summary>
internal static class FieldValues
{
    /// <summary>The text appended to a cut value; it counts against the cap.</summary>
    public static string TruncationMarker(int maxBytes) =>
        string.Create(CultureInfo.InvariantCulture, $" …[truncated: value exceeded {maxBytes} bytes]");

    /// <summary>The smallest cap that leaves room for the marker and some of the value.</summary>
    public const int MinimumCap = 256;

    /// <summary><paramref name="text"/> as UTF-8, cut on a character boundary to at most <paramref name="maxBytes"/>.</summary>
    public static byte[] Utf8(ReadOnlySpan<char> text, int maxBytes, bool alreadyCut = false)
    {
        // UTF-8 needs at most 3 bytes per UTF-16 code unit: short text cannot exceed the cap.
        if (!alreadyCut && text.Length <= maxBytes / 3)
        {
            var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
            Encoding.UTF8.GetBytes(text, bytes);
            return bytes;
        }
        var buffer = new byte[maxBytes];
        var encoder = Encoding.UTF8.GetEncoder();
        encoder.Convert(text, buffer, flush: true, out _, out var used, out var completed);
        if (completed && !alreadyCut)
        {
            return buffer[..used];
        }
        var marker = Encoding.UTF8.GetBytes(TruncationMarker(maxBytes));
        encoder.Reset();
        // Convert stops before a character that does not fit, so no sequence or surrogate pair is split.
        encoder.Convert(text, buffer.AsSpan(0, maxBytes - marker.Length), flush: true, out _, out used, out _);
        marker.CopyTo(buffer, used);
        return buffer[..(used + marker.Length)];
    }

    /// <summary><paramref name="value"/> cut to at most <paramref name="maxBytes"/>, with the marker when cut.</summary>
    public static byte[] Bytes(ReadOnlySpan<byte> value, int maxBytes)
    {
        if (value.Length <= maxBytes)
        {
            return value.ToArray();
        }
        var marker = Encoding.UTF8.GetBytes(TruncationMarker(maxBytes));
        var result = new byte[maxBytes];
        value[..(maxBytes - marker.Length)].CopyTo(result);
        marker.CopyTo(result, maxBytes - marker.Length);
        return result;
    }

    /// <summary>Renders through <paramref name="render"/> into at most <paramref name="maxBytes"/> bytes.</summary>
    public static byte[] Rendered(Action<TextWriter> render, int maxBytes)
    {
        // A character is at least one UTF-8 byte: more characters than the cap is certainly too long.
        using var writer = new BoundedTextWriter(maxBytes + 1);
        render(writer);
        return Utf8(writer.ToString(), maxBytes, writer.Overflowed);
    }
}
