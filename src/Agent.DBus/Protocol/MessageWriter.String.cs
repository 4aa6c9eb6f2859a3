using System.Text;

namespace UpdateAgent.DBus.Protocol;

public ref partial struct MessageWriter
{
    /// <summary>Writes a STRING; a NUL inside is refused.</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a D-Bus string cannot contain NUL", nameof(value));
        }
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)byteCount);
        var span = GetSpan(byteCount + 1);
        Encoding.UTF8.GetBytes(value, span);
        span[^1] = 0;
    }

    /// <summary>Writes an OBJECT_PATH; an invalid path is refused.</summary>
    public void WriteObjectPath(ObjectPath value)
    {
        if (!ObjectPath.IsValid(value.Value))
        {
            throw new ArgumentException($"'{value.Value}' is not a valid object path", nameof(value));
        }
        WriteString(value.Value);
    }

    /// <summary>Writes a SIGNATURE; an invalid signature is refused.</summary>
    public void WriteSignature(string value)
    {
        SignatureRules.Validate(value);
        WriteByte((byte)value.Length);
        var span = GetSpan(value.Length + 1);
        Encoding.ASCII.GetBytes(value, span);
        span[^1] = 0;
    }
}
