using CsCheck;
using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus.Tests;

/// <summary>Properties over random signatures and values: what is written reads back the same.</summary>
public sealed class RoundTripProperties
{
    [Fact]
    public void Every_signature_the_generator_makes_is_valid() =>
        DBusGen.Signature.Sample(SignatureRules.Validate, iter: 2000);

    [Fact]
    public void Writing_then_reading_any_body_gives_the_values_back() =>
        DBusGen.Body.Sample(body =>
        {
            var bytes = Marshal.Body(body.Signature, body.Values);
            var message = Message.Parse(OutgoingMessage.MethodCall("a.b", "/a", "a.b", "M", body.Signature, bytes).Serialize(1));
            var read = message.ReadBody();
            Assert.Equal(
                string.Join(" ", body.Values.Select(DBusValueText.Format)),
                string.Join(" ", read.Select(DBusValueText.Format)));
        }, iter: 3000);

    [Fact]
    public void A_big_endian_copy_reads_the_same_values() =>
        DBusGen.Body.Sample(body =>
        {
            var little = Message.Parse(OutgoingMessage.MethodCall("a.b", "/a", "a.b", "M", body.Signature, Marshal.Body(body.Signature, body.Values)).Serialize(1));
            var big = Message.Parse(BigEndian.Convert(little));
            Assert.True(big.IsBigEndian);
            Assert.Equal(
                string.Join(" ", little.ReadBody().Select(DBusValueText.Format)),
                string.Join(" ", big.ReadBody().Select(DBusValueText.Format)));
        }, iter: 1000);
}
