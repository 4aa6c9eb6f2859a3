using System.Text;

namespace UpdateAgent.Systemd.Journal;

/// <summary>
/// A <see cref="TextWriter"/> that keeps at most a given number of characters and drops the rest,
/// so rendering a huge structure or message never builds a huge string only to cut it afterwards.
/// </summary>
internal sealed class BoundedTextWriter(int maxChars) : TextWriter(System.Globalization.CultureInfo.InvariantCulture)
{
    private readonly StringBuilder _text = new();

    /// <summary>True when something written was dropped.</summary>
    public bool Overflowed { get; private set; }

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc />
    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    /// <inheritdoc />
    public override void Write(string? value) => Write(value.AsSpan());

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<char> buffer)
    {
        var room = maxChars - _text.Length;
        if (buffer.Length > room)
        {
            Overflowed = true;
            buffer = buffer[..Math.Max(room, 0)];
        }
        _text.Append(buffer);
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();
}
