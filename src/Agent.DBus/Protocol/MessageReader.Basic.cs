namespace UpdateAgent.DBus.Protocol;

public ref partial struct MessageReader
{
    /// <summary>Reads a BYTE.</summary>
    public byte ReadByte() => Take(1, "byte")[0];

    /// <summary>Reads a BOOLEAN; only 0 and 1 are valid.</summary>
    public bool ReadBool()
    {
        var value = U32(TakeAligned(4, "boolean"));
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new DBusProtocolException($"boolean value {value} at offset {_position - 4} is neither 0 nor 1"),
        };
    }

    /// <summary>Reads an INT16.</summary>
    public short ReadInt16() => unchecked((short)U16(TakeAligned(2, "int16")));

    /// <summary>Reads a UINT16.</summary>
    public ushort ReadUInt16() => U16(TakeAligned(2, "uint16"));

    /// <summary>Reads an INT32.</summary>
    public int ReadInt32() => unchecked((int)U32(TakeAligned(4, "int32")));

    /// <summary>Reads a UINT32.</summary>
    public uint ReadUInt32() => U32(TakeAligned(4, "uint32"));

    /// <summary>Reads an INT64.</summary>
    public long ReadInt64() => unchecked((long)U64(TakeAligned(8, "int64")));

    /// <summary>Reads a UINT64.</summary>
    public ulong ReadUInt64() => U64(TakeAligned(8, "uint64"));

    /// <summary>Reads a DOUBLE.</summary>
    public double ReadDouble() => BitConverter.UInt64BitsToDouble(U64(TakeAligned(8, "double")));

    /// <summary>Reads a UNIX_FD index.</summary>
    public UnixFdIndex ReadUnixFd() => new(U32(TakeAligned(4, "unix fd")));
}
