using System.Buffers.Binary;

namespace UpdateAgent.DBus.Protocol;

/// <summary>
/// Reads D-Bus values from one whole message in either byte order. Offsets are relative to the
/// start of the message, which is what the alignment rules are relative to. Every read checks
/// bounds and padding, and a violation throws <see cref="DBusProtocolException"/>; nothing is
/// allocated from a length the peer chose before the bytes are known to be there.
/// </summary>
public ref partial struct MessageReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly bool _bigEndian;
    private int _position;
    private int _variantDepth;

    /// <summary>Creates a reader over a whole message, positioned at <paramref name="position"/>.</summary>
    public MessageReader(ReadOnlySpan<byte> data, bool bigEndian, int position)
    {
        _data = data;
        _bigEndian = bigEndian;
        _position = position;
        _variantDepth = 0;
    }

    /// <summary>The current offset from the start of the message.</summary>
    public readonly int Position => _position;

    /// <summary>The bytes left after the current offset.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Skips padding up to <paramref name="alignment"/>; the padding must be zero bytes.</summary>
    public void AlignTo(int alignment)
    {
        var padding = (alignment - (_position % alignment)) % alignment;
        if (padding == 0)
        {
            return;
        }
        var span = Take(padding, "padding");
        foreach (var b in span)
        {
            if (b != 0)
            {
                throw new DBusProtocolException($"non-zero padding byte at offset {_position - padding}");
            }
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            throw new DBusProtocolException($"message truncated: {what} needs {count} bytes at offset {_position}, {Math.Max(0, _data.Length - _position)} remain");
        }
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private ReadOnlySpan<byte> TakeAligned(int size, string what)
    {
        AlignTo(size);
        return Take(size, what);
    }

    private readonly ushort U16(ReadOnlySpan<byte> s) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private readonly uint U32(ReadOnlySpan<byte> s) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private readonly ulong U64(ReadOnlySpan<byte> s) => _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
}
