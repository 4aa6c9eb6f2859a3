namespace UpdateAgent.DBus.Protocol;

public ref partial struct MessageWriter
{
    /// <summary>
    /// Starts an array whose elements have type code <paramref name="elementCode"/>. Returns a
    /// token to hand to <see cref="WriteArrayEnd"/> after the elements are written.
    /// </summary>
    public ArrayStart WriteArrayStart(char elementCode)
    {
        WriteUInt32(0);
        var lengthOffset = _length - 4;
        // The padding to the element alignment is there even for an empty array, and is not counted.
        AlignTo(SignatureRules.Alignment(elementCode));
        return new ArrayStart(lengthOffset, _length);
    }

    /// <summary>Fills in the length of the array started with <paramref name="start"/>.</summary>
    public readonly void WriteArrayEnd(ArrayStart start)
    {
        var length = _length - start.ElementsOffset;
        if (length > ProtocolLimits.MaxArrayLength)
        {
            throw new InvalidOperationException($"array of {length} bytes exceeds the {ProtocolLimits.MaxArrayLength} byte limit");
        }
        PatchUInt32(start.LengthOffset, (uint)length);
    }

    /// <summary>Writes the padding before a STRUCT or DICT_ENTRY.</summary>
    public void WriteStructStart() => AlignTo(8);
}

/// <summary>Where an array's length and elements start, for <see cref="MessageWriter.WriteArrayEnd"/>.</summary>
/// <param name="LengthOffset">Offset of the length field.</param>
/// <param name="ElementsOffset">Offset of the first element.</param>
public readonly record struct ArrayStart(int LengthOffset, int ElementsOffset);
