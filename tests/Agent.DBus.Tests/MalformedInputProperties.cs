using CsCheck;
using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus.Tests;

/// <summary>Bad bytes get a clear parse error: never another exception, never a hang, never a big allocation.</summary>
public sealed class MalformedInputProperties
{
    private static readonly Gen<byte[]> ValidMessage = DBusGen.Body.Select(body =>
        OutgoingMessage.MethodCall("a.b", "/a/b", "a.b", "M", body.Signature, Marshal.Body(body.Signature, body.Values)).Serialize(5));

    [Fact]
    public void Every_truncation_of_a_valid_message_is_a_protocol_error() =>
        ValidMessage.SelectMany(bytes => Gen.Int[0, bytes.Length - 1].Select(cut => bytes[..cut])).Sample(truncated =>
        {
            var e = Assert.Throws<DBusProtocolException>(() => Message.Parse(truncated));
            Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        }, iter: 3000);

    [Fact]
    public void Corrupted_bytes_parse_or_fail_with_a_protocol_error_only() =>
        ValidMessage.SelectMany(bytes => Gen.Select(Gen.Int[0, bytes.Length - 1].Array[1, 4], Gen.Byte.Array[4], (at, values) =>
        {
            var copy = (byte[])bytes.Clone();
            for (var i = 0; i < at.Length; i++)
            {
                copy[at[i]] = values[i];
            }
            return copy;
        })).Sample(corrupted =>
        {
            try
            {
                var message = Message.Parse(corrupted);
                message.ReadBody();
            }
            catch (DBusProtocolException)
            {
                // The one allowed failure.
            }
        }, iter: 5000);

    [Fact]
    public void An_announced_array_longer_than_the_message_is_refused_without_allocating_it()
    {
        // Body "au" whose length field claims 60 MiB, in a message of a few dozen bytes.
        var body = new byte[] { 0x00, 0x00, 0xc0, 0x03 };
        var bytes = OutgoingMessage.MethodCall(null, "/", "a.b", "M", "au", body).Serialize(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DBusProtocolException>(() => Message.Parse(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "parsing allocated in proportion to the claimed length");
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_over_the_specification_limit_is_refused_by_name()
    {
        var body = new byte[] { 0x01, 0x00, 0x00, 0x04 }; // 64 MiB + 1
        var bytes = OutgoingMessage.MethodCall(null, "/", "a.b", "M", "ay", body).Serialize(1);
        var e = Assert.Throws<DBusProtocolException>(() => Message.Parse(bytes));
        Assert.Contains("exceeds the 67108864 byte limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_announcing_more_than_the_limit_is_refused_from_its_fixed_header()
    {
        var header = Hex.Bytes("6c 02 00 01  00000010  01000000  08000000");
        var e = Assert.Throws<DBusProtocolException>(() => Message.GetTotalLength(header, maxLength: 1024 * 1024));
        Assert.Contains("exceeds the limit", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x 01 00 01", "byte order mark")]
    [InlineData("6c 01 00 02", "protocol version 2")]
    public void A_bad_fixed_header_names_what_is_wrong(string prefix, string expected)
    {
        var header = Hex.Bytes(prefix.Replace("0x", "00", StringComparison.Ordinal) + "00000000 01000000 00000000");
        var e = Assert.Throws<DBusProtocolException>(() => Message.GetTotalLength(header));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_zero_padding_and_bad_booleans_are_refused()
    {
        var padded = OutgoingMessage.MethodCall(null, "/", "a.b", "M", "yu", Hex.Bytes("07 010000 05000000")).Serialize(1);
        Assert.Contains("non-zero padding", Assert.Throws<DBusProtocolException>(() => Message.Parse(padded)).Message, StringComparison.Ordinal);
        var boolean = OutgoingMessage.MethodCall(null, "/", "a.b", "M", "b", Hex.Bytes("02000000")).Serialize(1);
        Assert.Contains("neither 0 nor 1", Assert.Throws<DBusProtocolException>(() => Message.Parse(boolean)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_and_interior_nul_in_strings_are_refused()
    {
        var utf8 = OutgoingMessage.MethodCall(null, "/", "a.b", "M", "s", Hex.Bytes("02000000 c328 00")).Serialize(1);
        Assert.Contains("not valid UTF-8", Assert.Throws<DBusProtocolException>(() => Message.Parse(utf8)).Message, StringComparison.Ordinal);
        var nul = OutgoingMessage.MethodCall(null, "/", "a.b", "M", "s", Hex.Bytes("02000000 6100 00")).Serialize(1);
        Assert.Contains("contains a NUL", Assert.Throws<DBusProtocolException>(() => Message.Parse(nul)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_without_reply_serial_is_refused()
    {
        var bytes = new OutgoingMessage { Type = MessageType.MethodReturn }.Serialize(3);
        Assert.Contains("REPLY_SERIAL", Assert.Throws<DBusProtocolException>(() => Message.Parse(bytes)).Message, StringComparison.Ordinal);
    }
}
