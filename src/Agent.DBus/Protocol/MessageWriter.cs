using System.Buffers.Binary;

namespace UpdateAgent.DBus.Protocol;

/// <summary>
/// Writes D-Bus values in little-endian order into a growing buffer. Offsets start at 0, which
/// must be the start of the message or of a body (bodies start 8-aligned, so alignment is the same).
/// </summary>
public ref partial struct MessageWriter
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a writer with room for <paramref name="capacity"/> bytes before it grows.</summary>
    public MessageWriter(int capacity)
    {
        _buffer = new byte[Math.Max(capacity, 16)];
        _length = 0;
    }

    /// <summary>The number of bytes written.</summary>
    public readonly int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>A copy of the bytes written.</summary>
    public readonly byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Writes zero bytes up to <paramref name="alignment"/>.</summary>
    public void AlignTo(int alignment)
    {
        var padding = (alignment - (_length % alignment)) % alignment;
        GetSpan(padding).Clear();
    }

    private Span<byte> GetSpan(int count)
    {
        if (_buffer is null)
        {
            _buffer = new byte[Math.Max(count, 256)];
        }
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private Span<byte> GetAligned(int size)
    {
        AlignTo(size);
        return GetSpan(size);
    }

    /// <summary>Overwrites a UINT32 written earlier, e.g. an array length once it is known.</summary>
    public readonly void PatchUInt32(int offset, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(offset, 4), value);

    /// <summary>Writes raw bytes with no alignment.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(GetSpan(bytes.Length));
}
