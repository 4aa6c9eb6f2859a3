namespace UpdateAgent.DBus.Protocol;

public ref partial struct MessageReader
{
    /// <summary>
    /// Reads an array's length and the padding to its element alignment. Returns the offset at
    /// which the array ends; read elements while <see cref="HasNext"/> says so.
    /// </summary>
    public int ReadArrayStart(char elementCode)
    {
        var length = ReadUInt32();
        if (length > ProtocolLimits.MaxArrayLength)
        {
            throw new DBusProtocolException($"array of {length} bytes at offset {_position - 4} exceeds the {ProtocolLimits.MaxArrayLength} byte limit");
        }
        AlignTo(SignatureRules.Alignment(elementCode));
        if (length > (uint)Remaining)
        {
            throw new DBusProtocolException($"message truncated: array of {length} bytes at offset {_position}, {Remaining} remain");
        }
        return _position + (int)length;
    }

    /// <summary>True while elements remain before <paramref name="arrayEnd"/>.</summary>
    public readonly bool HasNext(int arrayEnd)
    {
        if (_position > arrayEnd)
        {
            throw new DBusProtocolException($"array element runs past the array end at offset {arrayEnd}");
        }
        return _position < arrayEnd;
    }

    /// <summary>Skips the padding before a STRUCT or DICT_ENTRY.</summary>
    public void AlignStruct() => AlignTo(8);
}
