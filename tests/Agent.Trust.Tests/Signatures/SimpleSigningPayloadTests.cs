using System.Text;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Tests.Signatures;

public sealed class SimpleSigningPayloadTests
{
    private const string Digest = "sha256:0123456789012345678901234567890123456789012345678901234567890123";

    [Fact]
    public void Round_trips_what_cosign_writes_including_null_optional()
    {
        var bytes = SimpleSigningPayload.Create("registry.test/shop/web", Digest, new Dictionary<string, string>());
        Assert.Contains("\"optional\":null", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var parsed = SimpleSigningPayload.Parse(bytes);
        Assert.Equal("registry.test/shop/web", parsed.DockerReference);
        Assert.Equal(Digest, parsed.ManifestDigest);
        Assert.Empty(parsed.Annotations);
    }

    [Theory]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r/a\"},\"image\":{\"docker-manifest-digest\":\"d\"},\"type\":\"atomic container signature\"}}", "critical.type")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r/a\"},\"image\":{\"docker-manifest-digest\":\"d\"},\"type\":\"cosign container image signature\",\"extra\":1}}", "unknown member")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":7},\"image\":{\"docker-manifest-digest\":\"d\"},\"type\":\"cosign container image signature\"}}", "docker-reference")]
    [InlineData("[1,2]", "critical")]
    [InlineData("{\"critical\":", "JSON")]
    public void Critical_is_parsed_strictly(string json, string mentioned)
    {
        var ex = Assert.Throws<FormatException>(() => SimpleSigningPayload.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(mentioned, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_payloads_are_refused()
    {
        var deep = "{\"critical\":{},\"optional\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}";
        Assert.Throws<FormatException>(() => SimpleSigningPayload.Parse(Encoding.UTF8.GetBytes(deep)));
    }

    // Found by bench/fuzz (simple-signing): JsonDocument accepts bytes inside strings that are no
    // UTF-8, and an escaped lone surrogate; reading such a string threw InvalidOperationException.
    // Latin-1 turns each char of the text into the one byte it names, so \u00F8 is the bare byte 0xF8.
    [Theory]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reverence\":\"~egapp\"},\"image\":{\"docker-manVfest-digest\":\"sha\"},\"type\":\"cosign container image signa\u00F8ure\"},\"optional\":{\"s\":\"prod\",\"n\":1}}", "UTF-8")]
    [InlineData("{\"critical\":{\"id\u00ACntity\":{\"docke\u0084-reference\":\"regapp\"},\"image\":{\"docker-manifest-dqgest\":\"vha\"},\"type\":\"cosign container image signature\"},\"optional\":{\"s\":\"prod\",\"n\":1}}", "UTF-8")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r\\ud800\"},\"image\":{\"docker-manifest-digest\":\"d\"},\"type\":\"cosign container image signature\"}}", "not valid text")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"d\"},\"type\":\"cosign container image signature\"},\"optional\":{\"\\udc00\":\"x\"}}", "not valid text")]
    public void Strings_that_are_not_text_are_refused_as_malformed(string latin1, string mentioned)
    {
        var ex = Assert.Throws<FormatException>(() => SimpleSigningPayload.Parse(Encoding.Latin1.GetBytes(latin1)));
        Assert.Contains(mentioned, ex.Message, StringComparison.Ordinal);
    }
}
