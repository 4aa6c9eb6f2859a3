using System.Text;

namespace UpdateAgent.DBus.Protocol;

public ref partial struct MessageReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a STRING: valid UTF-8, NUL-terminated, no NUL inside.</summary>
    public string ReadString()
    {
        var length = ReadUInt32();
        return ReadText(length, "string");
    }

    /// <summary>Reads an OBJECT_PATH and checks the path rules.</summary>
    public ObjectPath ReadObjectPath()
    {
        var start = _position;
        var text = ReadString();
        if (!ObjectPath.IsValid(text))
        {
            throw new DBusProtocolException($"'{Truncate(text)}' at offset {start} is not a valid object path");
        }
        return new ObjectPath(text);
    }

    /// <summary>Reads a SIGNATURE and checks the type grammar.</summary>
    public SignatureValue ReadSignature()
    {
        var length = ReadByte();
        var text = ReadText(length, "signature");
        SignatureRules.Validate(text);
        return new SignatureValue(text);
    }

    private string ReadText(uint length, string what)
    {
        if (length > (uint)Remaining)
        {
            throw new DBusProtocolException($"message truncated: {what} of {length} bytes at offset {_position}, {Remaining} remain");
        }
        var bytes = Take((int)length + 1, what);
        if (bytes[^1] != 0)
        {
            throw new DBusProtocolException($"{what} at offset {_position - bytes.Length} is not NUL-terminated");
        }
        var text = bytes[..^1];
        if (text.IndexOf((byte)0) >= 0)
        {
            throw new DBusProtocolException($"{what} at offset {_position - bytes.Length} contains a NUL byte");
        }
        try
        {
            return StrictUtf8.GetString(text);
        }
        catch (DecoderFallbackException e)
        {
            throw new DBusProtocolException($"{what} at offset {_position - bytes.Length} is not valid UTF-8", e);
        }
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
