namespace UpdateAgent.DBus.Protocol;

/// <summary>
/// A received message: header fields decoded, body kept as bytes and read on demand with
/// <see cref="GetBodyReader"/>. Only messages that passed <see cref="Parse"/> exist, so header
/// and body are known to be well formed.
/// </summary>
public sealed class Message
{
    private readonly byte[] _data;
    private readonly int _bodyOffset;

    private Message(byte[] data, int bodyOffset, bool bigEndian)
    {
        _data = data;
        _bodyOffset = bodyOffset;
        IsBigEndian = bigEndian;
    }

    /// <summary>The message type.</summary>
    public MessageType Type { get; private init; }

    /// <summary>The header flags.</summary>
    public MessageFlags Flags { get; private init; }

    /// <summary>The sender's serial of this message.</summary>
    public uint Serial { get; private init; }

    /// <summary>True when the sender wrote big-endian.</summary>
    public bool IsBigEndian { get; }

    /// <summary>PATH header field.</summary>
    public ObjectPath? Path { get; private set; }

    /// <summary>INTERFACE header field.</summary>
    public string? Interface { get; private set; }

    /// <summary>MEMBER header field.</summary>
    public string? Member { get; private set; }

    /// <summary>ERROR_NAME header field.</summary>
    public string? ErrorName { get; private set; }

    /// <summary>REPLY_SERIAL header field.</summary>
    public uint? ReplySerial { get; private set; }

    /// <summary>DESTINATION header field.</summary>
    public string? Destination { get; private set; }

    /// <summary>SENDER header field.</summary>
    public string? Sender { get; private set; }

    /// <summary>SIGNATURE header field; empty when the body is empty.</summary>
    public string Signature { get; private set; } = "";

    /// <summary>UNIX_FDS header field.</summary>
    public uint UnixFds { get; private set; }

    /// <summary>Length of the body in bytes.</summary>
    public int BodyLength => _data.Length - _bodyOffset;

    /// <summary>A reader positioned at the start of the body.</summary>
    public MessageReader GetBodyReader() => new(_data, IsBigEndian, _bodyOffset);

    /// <summary>All body values in the generic model.</summary>
    public IReadOnlyList<object> ReadBody() => GetBodyReader().ReadValues(Signature);

    /// <summary>The first body argument when it is a string (the text of an error), else null.</summary>
    public string? FirstStringArgument() =>
        Signature.StartsWith('s') ? GetBodyReader().ReadString() : null;

    /// <summary>
    /// From the 16 fixed header bytes, the length of the whole message; throws
    /// <see cref="DBusProtocolException"/> when the prefix is invalid or over <paramref name="maxLength"/>.
    /// </summary>
    public static int GetTotalLength(ReadOnlySpan<byte> fixedHeader, int maxLength = ProtocolLimits.MaxMessageLength)
    {
        if (fixedHeader.Length < ProtocolLimits.FixedHeaderLength)
        {
            throw new DBusProtocolException($"message truncated: header needs {ProtocolLimits.FixedHeaderLength} bytes, {fixedHeader.Length} present");
        }
        var bigEndian = fixedHeader[0] switch
        {
            (byte)'l' => false,
            (byte)'B' => true,
            _ => throw new DBusProtocolException($"byte order mark 0x{fixedHeader[0]:x2} is neither 'l' nor 'B'"),
        };
        if (fixedHeader[3] != 1)
        {
            throw new DBusProtocolException($"protocol version {fixedHeader[3]} is not 1");
        }
        var reader = new MessageReader(fixedHeader, bigEndian, 4);
        var bodyLength = reader.ReadUInt32();
        reader.ReadUInt32();
        var fieldsLength = reader.ReadUInt32();
        var total = (ulong)ProtocolLimits.FixedHeaderLength + ((fieldsLength + 7ul) & ~7ul) + bodyLength;
        if (fieldsLength > ProtocolLimits.MaxArrayLength || total > (ulong)maxLength)
        {
            throw new DBusProtocolException($"message of {total} bytes exceeds the limit of {maxLength} bytes");
        }
        return (int)total;
    }

    /// <summary>
    /// Parses and validates one whole message: fixed header, header fields (required fields per
    /// type, value types of known fields), padding, and the body against its signature.
    /// </summary>
    public static Message Parse(byte[] data, int maxLength = ProtocolLimits.MaxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(data);
        var total = GetTotalLength(data, maxLength);
        if (total != data.Length)
        {
            throw new DBusProtocolException(total > data.Length
                ? $"message truncated: header announces {total} bytes, {data.Length} present"
                : $"message has {data.Length - total} bytes after its announced end");
        }
        var bigEndian = data[0] == (byte)'B';
        if (data[1] == (byte)MessageType.Invalid)
        {
            throw new DBusProtocolException("message type 0 (INVALID)");
        }
        var reader = new MessageReader(data, bigEndian, 8);
        var serial = reader.ReadUInt32();
        if (serial == 0)
        {
            throw new DBusProtocolException("message serial is 0");
        }
        var bodyLength = (int)new MessageReader(data, bigEndian, 4).ReadUInt32();
        var fieldsEnd = reader.ReadArrayStart('(');
        var message = new Message(data, data.Length - bodyLength, bigEndian)
        {
            Type = (MessageType)data[1],
            Flags = (MessageFlags)data[2],
            Serial = serial,
        };
        while (reader.HasNext(fieldsEnd))
        {
            reader.AlignStruct();
            message.ReadHeaderField(ref reader);
        }
        reader.AlignTo(8);
        if (reader.Position != message._bodyOffset)
        {
            throw new DBusProtocolException($"header ends at offset {reader.Position}, body announced at {message._bodyOffset}");
        }
        message.CheckRequiredFields();
        var body = message.GetBodyReader();
        body.ReadValues(message.Signature);
        if (body.Remaining != 0)
        {
            throw new DBusProtocolException($"body has {body.Remaining} bytes beyond its signature '{message.Signature}'");
        }
        return message;
    }

    private void ReadHeaderField(ref MessageReader reader)
    {
        var code = (HeaderField)reader.ReadByte();
        var variant = reader.ReadVariant();
        var expected = code switch
        {
            HeaderField.Path => "o",
            HeaderField.Interface or HeaderField.Member or HeaderField.ErrorName or HeaderField.Destination or HeaderField.Sender => "s",
            HeaderField.ReplySerial or HeaderField.UnixFds => "u",
            HeaderField.Signature => "g",
            HeaderField.Invalid => throw new DBusProtocolException("header field code 0 is invalid"),
            _ => null, // unknown fields are an extension point: skipped
        };
        if (expected is null)
        {
            return;
        }
        if (variant.Signature != expected)
        {
            throw new DBusProtocolException($"header field {code} has type '{variant.Signature}', expected '{expected}'");
        }
        switch (code)
        {
            case HeaderField.Path: Path = (ObjectPath)variant.Value; break;
            case HeaderField.Interface: Interface = (string)variant.Value; break;
            case HeaderField.Member: Member = (string)variant.Value; break;
            case HeaderField.ErrorName: ErrorName = (string)variant.Value; break;
            case HeaderField.ReplySerial: ReplySerial = (uint)variant.Value; break;
            case HeaderField.Destination: Destination = (string)variant.Value; break;
            case HeaderField.Sender: Sender = (string)variant.Value; break;
            case HeaderField.Signature: Signature = ((SignatureValue)variant.Value).Value; break;
            case HeaderField.UnixFds: UnixFds = (uint)variant.Value; break;
        }
    }

    private void CheckRequiredFields()
    {
        string? missing = Type switch
        {
            MessageType.MethodCall when Path is null => "PATH",
            MessageType.MethodCall when Member is null => "MEMBER",
            MessageType.Signal when Path is null => "PATH",
            MessageType.Signal when Interface is null => "INTERFACE",
            MessageType.Signal when Member is null => "MEMBER",
            MessageType.MethodReturn when ReplySerial is null => "REPLY_SERIAL",
            MessageType.Error when ReplySerial is null => "REPLY_SERIAL",
            MessageType.Error when ErrorName is null => "ERROR_NAME",
            _ => null,
        };
        if (missing is not null)
        {
            throw new DBusProtocolException($"{Type} message {Serial} lacks the required {missing} header field");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Type} serial={Serial} path={Path} interface={Interface} member={Member} error={ErrorName} reply_serial={ReplySerial} sender={Sender} signature='{Signature}'";
}
