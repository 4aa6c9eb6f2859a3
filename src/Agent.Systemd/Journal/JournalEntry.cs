using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace UpdateAgent.Systemd.Journal;

/// <summary>
/// One journal entry serialized in the native protocol: fields as <c>NAME=value\n</c>, or in the
/// binary-safe form <c>NAME\n</c> + u64 LE length + bytes + <c>\n</c> when the value needs it.
/// The same bytes go into a datagram or, for a large entry, into a memfd.
/// </summary>
internal sealed class JournalEntry
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    /// <summary>The serialized entry so far.</summary>
    public ReadOnlyMemory<byte> Bytes => _buffer.WrittenMemory;

    /// <summary>Length of the serialized entry in bytes.</summary>
    public int Length => _buffer.WrittenCount;

    /// <summary>Adds a field whose value is text, written as UTF-8.</summary>
    public void Add(string name, string value) => Add(name, Encoding.UTF8.GetBytes(value));

    /// <summary>
    /// Adds a field. <paramref name="name"/> must already be valid (see <see cref="JournalFieldNames"/>):
    /// an invalid name would make journald drop the field without telling anyone.
    /// </summary>
    public void Add(string name, ReadOnlySpan<byte> value)
    {
        if (!JournalFieldNames.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid journal field name", nameof(name));
        }
        WriteAscii(name);
        if (NeedsBinaryForm(value))
        {
            WriteByte((byte)'\n');
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), (ulong)value.Length);
            _buffer.Advance(8);
        }
        else
        {
            WriteByte((byte)'=');
        }
        _buffer.Write(value);
        WriteByte((byte)'\n');
    }

    /// <summary>
    /// The text form ends a value at the first <c>\n</c>, so such values must use the binary form.
    /// Other control bytes (NUL, ESC…) would be accepted as text but make the entry unreadable in
    /// a trace; like journald's export format, only TAB stays in the text form.
    /// </summary>
    public static bool NeedsBinaryForm(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return true;
            }
        }
        return false;
    }

    private void WriteAscii(string text)
    {
        var span = _buffer.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        _buffer.Advance(written);
    }

    private void WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }
}
