using System.Buffers.Binary;

namespace UpdateAgent.DBus.Protocol;

public ref partial struct MessageWriter
{
    /// <summary>Writes a BYTE.</summary>
    public void WriteByte(byte value) => GetSpan(1)[0] = value;

    /// <summary>Writes a BOOLEAN.</summary>
    public void WriteBool(bool value) => WriteUInt32(value ? 1u : 0u);

    /// <summary>Writes an INT16.</summary>
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(GetAligned(2), value);

    /// <summary>Writes a UINT16.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(GetAligned(2), value);

    /// <summary>Writes an INT32.</summary>
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(GetAligned(4), value);

    /// <summary>Writes a UINT32.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(GetAligned(4), value);

    /// <summary>Writes an INT64.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(GetAligned(8), value);

    /// <summary>Writes a UINT64.</summary>
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(GetAligned(8), value);

    /// <summary>Writes a DOUBLE.</summary>
    public void WriteDouble(double value) => WriteUInt64(BitConverter.DoubleToUInt64Bits(value));

    /// <summary>Writes a UNIX_FD index.</summary>
    public void WriteUnixFd(UnixFdIndex value) => WriteUInt32(value.Index);
}
