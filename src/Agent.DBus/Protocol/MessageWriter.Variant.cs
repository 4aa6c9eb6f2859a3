using System.Globalization;

namespace UpdateAgent.DBus.Protocol;

public ref partial struct MessageWriter
{
    /// <summary>Writes a VARIANT holding <paramref name="value"/> of type <paramref name="signature"/>.</summary>
    public void WriteVariant(string signature, object value)
    {
        SignatureRules.ValidateSingleCompleteType(signature);
        WriteSignature(signature);
        WriteValue(signature, value);
    }

    /// <summary>
    /// Writes <paramref name="value"/> (in the generic model that <see cref="MessageReader.ReadValue"/>
    /// returns; CLR primitives are converted) as the single complete type <paramref name="signature"/>.
    /// </summary>
    public void WriteValue(string signature, object value)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(value);
        WriteValueAt(signature, 0, value);
    }

    private int WriteValueAt(string signature, int start, object value)
    {
        var code = signature[start];
        switch (code)
        {
            case 'y': WriteByte(Convert.ToByte(value, CultureInfo.InvariantCulture)); return 1;
            case 'b': WriteBool((bool)value); return 1;
            case 'n': WriteInt16(Convert.ToInt16(value, CultureInfo.InvariantCulture)); return 1;
            case 'q': WriteUInt16(Convert.ToUInt16(value, CultureInfo.InvariantCulture)); return 1;
            case 'i': WriteInt32(Convert.ToInt32(value, CultureInfo.InvariantCulture)); return 1;
            case 'u': WriteUInt32(Convert.ToUInt32(value, CultureInfo.InvariantCulture)); return 1;
            case 'x': WriteInt64(Convert.ToInt64(value, CultureInfo.InvariantCulture)); return 1;
            case 't': WriteUInt64(Convert.ToUInt64(value, CultureInfo.InvariantCulture)); return 1;
            case 'd': WriteDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture)); return 1;
            case 'h': WriteUnixFd((UnixFdIndex)value); return 1;
            case 's': WriteString((string)value); return 1;
            case 'o': WriteObjectPath(value is ObjectPath path ? path : new ObjectPath((string)value)); return 1;
            case 'g': WriteSignature(value is SignatureValue sig ? sig.Value : (string)value); return 1;
            case 'v':
                {
                    var variant = (DBusVariant)value;
                    WriteVariant(variant.Signature, variant.Value);
                    return 1;
                }
            case 'a':
                {
                    var typeLength = SignatureRules.CompleteTypeLength(signature, start);
                    var element = signature.Substring(start + 1, typeLength - 1);
                    var array = WriteArrayStart(element[0]);
                    if (value is byte[] bytes)
                    {
                        WriteRaw(bytes);
                    }
                    else
                    {
                        foreach (var item in ((DBusArray)value).Items)
                        {
                            WriteValueAt(element, 0, item);
                        }
                    }
                    WriteArrayEnd(array);
                    return typeLength;
                }
            case '(':
                {
                    var typeLength = SignatureRules.CompleteTypeLength(signature, start);
                    WriteStructStart();
                    var fields = ((DBusStruct)value).Fields;
                    var position = start + 1;
                    foreach (var field in fields)
                    {
                        position += WriteValueAt(signature, position, field);
                    }
                    if (position != start + typeLength - 1)
                    {
                        throw new ArgumentException($"struct value has {fields.Count} fields, signature '{signature.Substring(start, typeLength)}' wants another number", nameof(value));
                    }
                    return typeLength;
                }
            case '{':
                {
                    var typeLength = SignatureRules.CompleteTypeLength(signature, start);
                    WriteStructStart();
                    var entry = (DBusDictEntry)value;
                    var keyLength = WriteValueAt(signature, start + 1, entry.Key);
                    WriteValueAt(signature, start + 1 + keyLength, entry.Value);
                    return typeLength;
                }
            default:
                throw new ArgumentException($"'{code}' is not a D-Bus type code", nameof(signature));
        }
    }
}
