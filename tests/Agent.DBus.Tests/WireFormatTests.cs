using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus.Tests;

/// <summary>The reader and writer against messages worked out by hand from the specification.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void Strings_are_padded_to_four_as_in_the_specification_example()
    {
        var writer = new MessageWriter(64);
        writer.WriteString("foo");
        writer.WriteString("+");
        writer.WriteString("bar");
        Assert.Equal("03000000666f6f00" + "010000002b000000" + "0300000062617200", Hex.Of(writer.WrittenSpan));
    }

    // Hello to the bus, serial 1. Header fields PATH, INTERFACE, MEMBER, DESTINATION, each an
    // 8-aligned (y v) struct; fields array is 109 bytes; the header is padded to 128; no body.
    private const string HelloMessage =
        "6c 01 00 01  00000000  01000000  6d000000" +
        "01 01 6f 00  15000000" + "2f6f72672f667265656465736b746f702f4442757300" + "0000" +
        "02 01 73 00  14000000" + "6f72672e667265656465736b746f702e4442757300" + "000000" +
        "03 01 73 00  05000000" + "48656c6c6f00" + "0000" +
        "06 01 73 00  14000000" + "6f72672e667265656465736b746f702e4442757300" + "000000";

    [Fact]
    public void Hello_is_written_byte_for_byte()
    {
        var bytes = BusCalls.Hello().Serialize(serial: 1);
        Assert.Equal(Hex.Of(Hex.Bytes(HelloMessage)), Hex.Of(bytes));
        Assert.Equal(128, bytes.Length);
    }

    [Fact]
    public void Hello_is_read_back_with_every_header_field()
    {
        var message = Message.Parse(Hex.Bytes(HelloMessage));
        Assert.Equal(MessageType.MethodCall, message.Type);
        Assert.Equal(1u, message.Serial);
        Assert.Equal("/org/freedesktop/DBus", message.Path?.Value);
        Assert.Equal("org.freedesktop.DBus", message.Interface);
        Assert.Equal("Hello", message.Member);
        Assert.Equal("org.freedesktop.DBus", message.Destination);
        Assert.Equal("", message.Signature);
        Assert.Equal(0, message.BodyLength);
    }

    // Body of signature (su)a{sv}ai: struct ("ab", 7); dict {"k": variant u 5}; array [1, 2].
    private const string StructDictVariantBody =
        "02000000 616200 00" +            // 0: struct at 0; "ab" + NUL ends at 7, padding to 8
        "07000000" +                      // 8: u 7
        "10000000" +                      // 12: dict array length 16
        "" +                              // 16: element alignment 8, already aligned
        "01000000 6b00" +                 // 16: key "k" + NUL, ends at 22
        "01 75 00" +                      // 22: variant signature "u" (1-aligned), ends at 25
        "000000" +                        // 25: padding to 4 for the u32
        "05000000" +                      // 28: u 5; dict data ends at 32 (16 bytes)
        "08000000" +                      // 32: int array length 8
        "01000000 02000000";              // 36: 1, 2

    [Fact]
    public void Struct_dict_variant_and_array_are_written_with_their_alignment()
    {
        var body = Marshal.Body("(su)a{sv}ai",
            new DBusStruct(["ab", 7u]),
            new DBusArray("{sv}", [new DBusDictEntry("k", new DBusVariant("u", 5u))]),
            new DBusArray("i", [1, 2]));
        Assert.Equal(Hex.Of(Hex.Bytes(StructDictVariantBody)), Hex.Of(body));
    }

    [Fact]
    public void Struct_dict_variant_and_array_are_read_back_from_a_whole_message()
    {
        var call = OutgoingMessage.MethodCall("a.b", "/a", "a.b", "M", "(su)a{sv}ai", Hex.Bytes(StructDictVariantBody));
        var message = Message.Parse(call.Serialize(7));
        var values = message.ReadBody();
        Assert.Equal("(\"ab\", 7u) [{\"k\": <u 5u>}] [1, 2]", string.Join(" ", values.Select(DBusValueText.Format)));
    }

    [Fact]
    public void A_big_endian_reply_is_read()
    {
        // METHOD_RETURN, big-endian, serial 2, REPLY_SERIAL 1, SIGNATURE "s", body "hi".
        var bytes = Hex.Bytes(
            "42 02 00 01  00000007  00000002  0000000f" +
            "05 01 75 00  00000001" +               // 16: (REPLY_SERIAL, <u 1>), ends at 24
            "08 01 67 00  01 73 00" +                // 24: (SIGNATURE, <g "s">), ends at 31: fields are 15 bytes
            "00" +                                   // 31: pad the header to 32
            "00000002 686900");                      // 32: body "hi"
        var message = Message.Parse(bytes);
        Assert.True(message.IsBigEndian);
        Assert.Equal(MessageType.MethodReturn, message.Type);
        Assert.Equal(1u, message.ReplySerial);
        Assert.Equal("hi", message.GetBodyReader().ReadString());
    }

    [Fact]
    public void An_empty_array_still_carries_padding_to_its_element_alignment()
    {
        var body = Marshal.Body("ua(tt)", 1u, new DBusArray("(tt)", []));
        // u at 0, array length at 4 (0), padding to 8 for the struct elements.
        Assert.Equal("01000000" + "00000000", Hex.Of(body));
        var message = Message.Parse(OutgoingMessage.MethodCall(null, "/", "a.b", "M", "ua(tt)", body).Serialize(1));
        Assert.Empty(((DBusArray)message.ReadBody()[1]).Items);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("a{sv}", "")]
    [InlineData("(i(ii)a(s))", "")]
    [InlineData("aaaai", "")]
    [InlineData("()", "empty struct")]
    [InlineData("{sv}", "dict entry outside an array")]
    [InlineData("a{vs}", "key is not a basic type")]
    [InlineData("a{sss}", "exactly two members")]
    [InlineData("(ii", "unclosed struct")]
    [InlineData("a", "ends inside a type")]
    [InlineData("m", "not a valid type code")]
    [InlineData("r", "not a valid type code")]
    public void Signatures_follow_the_grammar(string signature, string error)
    {
        if (error.Length == 0)
        {
            SignatureRules.Validate(signature);
        }
        else
        {
            var e = Assert.Throws<DBusProtocolException>(() => SignatureRules.Validate(signature));
            Assert.Contains(error, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Nesting_limits_are_enforced()
    {
        SignatureRules.Validate(new string('a', 32) + "i");
        Assert.Throws<DBusProtocolException>(() => SignatureRules.Validate(new string('a', 33) + "i"));
        SignatureRules.Validate(new string('(', 32) + "i" + new string(')', 32));
        Assert.Throws<DBusProtocolException>(() => SignatureRules.Validate(new string('(', 33) + "i" + new string(')', 33)));
        Assert.Throws<DBusProtocolException>(() => SignatureRules.Validate(new string('i', 256)));
    }
}
