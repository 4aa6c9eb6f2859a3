namespace UpdateAgent.DBus.Protocol;

/// <summary>
/// A message to send. The connection gives it a serial and writes the header; the body is
/// already marshalled (little-endian, starting at an 8-aligned offset).
/// </summary>
public sealed record OutgoingMessage
{
    /// <summary>The message type.</summary>
    public required MessageType Type { get; init; }

    /// <summary>Header flags.</summary>
    public MessageFlags Flags { get; init; }

    /// <summary>PATH header field.</summary>
    public ObjectPath? Path { get; init; }

    /// <summary>INTERFACE header field.</summary>
    public string? Interface { get; init; }

    /// <summary>MEMBER header field.</summary>
    public string? Member { get; init; }

    /// <summary>ERROR_NAME header field.</summary>
    public string? ErrorName { get; init; }

    /// <summary>REPLY_SERIAL header field.</summary>
    public uint? ReplySerial { get; init; }

    /// <summary>DESTINATION header field.</summary>
    public string? Destination { get; init; }

    /// <summary>Signature of <see cref="Body"/>.</summary>
    public string Signature { get; init; } = "";

    /// <summary>The marshalled body.</summary>
    public ReadOnlyMemory<byte> Body { get; init; } = ReadOnlyMemory<byte>.Empty;

    /// <summary>A method call to <paramref name="destination"/>.</summary>
    public static OutgoingMessage MethodCall(string? destination, string path, string? @interface, string member, string signature = "", ReadOnlyMemory<byte> body = default) =>
        new() { Type = MessageType.MethodCall, Destination = destination, Path = new ObjectPath(path), Interface = @interface, Member = member, Signature = signature, Body = body };

    /// <summary>A broadcast signal.</summary>
    public static OutgoingMessage Signal(string path, string @interface, string member, string signature = "", ReadOnlyMemory<byte> body = default) =>
        new() { Type = MessageType.Signal, Path = new ObjectPath(path), Interface = @interface, Member = member, Signature = signature, Body = body };

    /// <summary>A successful reply to <paramref name="call"/>.</summary>
    public static OutgoingMessage Reply(Message call, string signature = "", ReadOnlyMemory<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new() { Type = MessageType.MethodReturn, ReplySerial = call.Serial, Destination = call.Sender, Signature = signature, Body = body };
    }

    /// <summary>An error reply to <paramref name="call"/> with a human-readable text.</summary>
    public static OutgoingMessage Error(Message call, string errorName, string text)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new() { Type = MessageType.Error, ReplySerial = call.Serial, Destination = call.Sender, ErrorName = errorName, Signature = "s", Body = Marshal.Body("s", text) };
    }

    /// <summary>The whole message on the wire with serial <paramref name="serial"/>.</summary>
    public byte[] Serialize(uint serial)
    {
        var writer = new MessageWriter(64 + Body.Length);
        writer.WriteByte((byte)'l');
        writer.WriteByte((byte)Type);
        writer.WriteByte((byte)Flags);
        writer.WriteByte(1);
        writer.WriteUInt32((uint)Body.Length);
        writer.WriteUInt32(serial);
        var fields = writer.WriteArrayStart('(');
        if (Path is { } path) { WriteField(ref writer, HeaderField.Path, "o", path); }
        if (Interface is not null) { WriteField(ref writer, HeaderField.Interface, "s", Interface); }
        if (Member is not null) { WriteField(ref writer, HeaderField.Member, "s", Member); }
        if (ErrorName is not null) { WriteField(ref writer, HeaderField.ErrorName, "s", ErrorName); }
        if (ReplySerial is { } reply) { WriteField(ref writer, HeaderField.ReplySerial, "u", reply); }
        if (Destination is not null) { WriteField(ref writer, HeaderField.Destination, "s", Destination); }
        if (Signature.Length > 0) { WriteField(ref writer, HeaderField.Signature, "g", new SignatureValue(Signature)); }
        writer.WriteArrayEnd(fields);
        writer.AlignTo(8);
        writer.WriteRaw(Body.Span);
        return writer.ToArray();
    }

    private static void WriteField(ref MessageWriter writer, HeaderField code, string signature, object value)
    {
        writer.WriteStructStart();
        writer.WriteByte((byte)code);
        writer.WriteVariant(signature, value);
    }
}
