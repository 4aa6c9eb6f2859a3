namespace UpdateAgent.DBus.Protocol;

public ref partial struct MessageReader
{
    /// <summary>Reads a VARIANT into the generic model.</summary>
    public DBusVariant ReadVariant()
    {
        var start = _position;
        var signature = ReadSignature().Value;
        if (signature.Length == 0 || SignatureRules.CompleteTypeLength(signature, 0) != signature.Length)
        {
            throw new DBusProtocolException($"variant at offset {start} has signature '{signature}', which is not one complete type");
        }
        if (++_variantDepth > ProtocolLimits.MaxTotalDepth)
        {
            throw new DBusProtocolException($"variants nest deeper than {ProtocolLimits.MaxTotalDepth} at offset {start}");
        }
        var value = ReadValue(signature);
        _variantDepth--;
        return new DBusVariant(signature, value);
    }

    /// <summary>
    /// Reads one value of the single complete type <paramref name="signature"/> into the generic
    /// model: CLR primitives and strings for basic types, <c>byte[]</c> for <c>ay</c>, <see cref="ObjectPath"/>,
    /// <see cref="SignatureValue"/>, <see cref="UnixFdIndex"/>, <see cref="DBusArray"/>,
    /// <see cref="DBusStruct"/>, <see cref="DBusDictEntry"/> and <see cref="DBusVariant"/>.
    /// </summary>
    public object ReadValue(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return ReadValueAt(signature, 0, out _);
    }

    /// <summary>Reads every complete type of <paramref name="signature"/> in order.</summary>
    public IReadOnlyList<object> ReadValues(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var values = new List<object>();
        for (var position = 0; position < signature.Length;)
        {
            values.Add(ReadValueAt(signature, position, out var length));
            position += length;
        }
        return values;
    }

    private object ReadValueAt(string signature, int start, out int typeLength)
    {
        var code = signature[start];
        typeLength = 1;
        switch (code)
        {
            case 'y': return ReadByte();
            case 'b': return ReadBool();
            case 'n': return ReadInt16();
            case 'q': return ReadUInt16();
            case 'i': return ReadInt32();
            case 'u': return ReadUInt32();
            case 'x': return ReadInt64();
            case 't': return ReadUInt64();
            case 'd': return ReadDouble();
            case 'h': return ReadUnixFd();
            case 's': return ReadString();
            case 'o': return ReadObjectPath();
            case 'g': return ReadSignature();
            case 'v': return ReadVariant();
            case 'a':
                {
                    typeLength = SignatureRules.CompleteTypeLength(signature, start);
                    var element = signature.Substring(start + 1, typeLength - 1);
                    var end = ReadArrayStart(element[0]);
                    if (element == "y")
                    {
                        // Byte arrays (e.g. systemd's InvocationID) stay bytes, not boxed items.
                        var bytes = Take(end - _position, "byte array").ToArray();
                        return bytes;
                    }
                    var items = new List<object>();
                    while (HasNext(end))
                    {
                        items.Add(ReadValueAt(element, 0, out _));
                    }
                    return new DBusArray(element, items);
                }
            case '(':
                {
                    typeLength = SignatureRules.CompleteTypeLength(signature, start);
                    AlignStruct();
                    var fields = new List<object>();
                    for (var position = start + 1; position < start + typeLength - 1;)
                    {
                        fields.Add(ReadValueAt(signature, position, out var fieldLength));
                        position += fieldLength;
                    }
                    return new DBusStruct(fields);
                }
            case '{':
                {
                    typeLength = SignatureRules.CompleteTypeLength(signature, start);
                    AlignStruct();
                    var key = ReadValueAt(signature, start + 1, out var keyLength);
                    var value = ReadValueAt(signature, start + 1 + keyLength, out _);
                    return new DBusDictEntry(key, value);
                }
            default:
                throw new DBusProtocolException($"'{code}' is not a D-Bus type code");
        }
    }
}
