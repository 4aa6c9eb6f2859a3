using System.Text;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Tests.Signatures;

/// <summary>Byte-exact forms the signatures depend on, checked against the specs' own examples.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void Dsse_pre_authentication_encoding_matches_the_spec_vector()
    {
        var pae = Dsse.PreAuthenticationEncoding("http://example.com/HelloWorld", Encoding.UTF8.GetBytes("hello world"));
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void Dsse_base64_accepts_both_alphabets_with_or_without_padding()
    {
        Assert.Equal([0xfb, 0xff], Dsse.DecodeBase64("+/8="));
        Assert.Equal([0xfb, 0xff], Dsse.DecodeBase64("-_8"));
    }

    [Fact]
    public void Signed_entry_timestamp_covers_the_canonical_json_with_sorted_keys_and_integers()
    {
        var tlog = new TlogEvidence
        {
            Body = [],
            BodyBase64 = "eyJhcGk=",
            IntegratedTime = 1624396085,
            LogIndex = 5179,
            LogIdHex = "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d",
        };
        Assert.Equal(
            "{\"body\":\"eyJhcGk=\",\"integratedTime\":1624396085,\"logID\":\"c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d\",\"logIndex\":5179}",
            Encoding.UTF8.GetString(TlogVerifier.CanonicalEntry(tlog)));
        Assert.Throws<FormatException>(() => TlogVerifier.CanonicalEntry(tlog with { BodyBase64 = "\"}" }));
    }

    [Fact]
    public void Cosign_tags_are_derived_from_the_digest()
    {
        var digest = "sha256:" + new string('e', 64);
        Assert.Equal("sha256-" + new string('e', 64) + ".sig", DigestValue.SignatureTag(digest));
        Assert.Equal("sha256-" + new string('e', 64), DigestValue.ReferrersTag(digest));
        Assert.False(DigestValue.IsValid("sha256:" + new string('E', 64)));
    }
}
