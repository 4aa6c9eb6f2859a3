using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Signatures;

/// <summary>Logged entry bodies of every supported kind must describe exactly this payload, signature and signer.</summary>
public sealed class RekorEntryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rekor-entry-").FullName;
    private readonly FulcioTestAuthority _fulcio;
    private readonly X509Certificate2 _leaf;
    private readonly byte[] _payload = "{\"_type\":\"https://in-toto.io/Statement/v1\"}"u8.ToArray();
    private readonly byte[] _signature;

    public RekorEntryTests()
    {
        _fulcio = new FulcioTestAuthority(_folder);
        var (leaf, key) = _fulcio.IssueLeaf(_fulcio.Root.NotBefore.AddDays(1));
        using (key)
        {
            _leaf = leaf;
            _signature = key.SignData(_payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    private SignatureEvidence Evidence(byte[]? signature = null, byte[]? payload = null) => new()
    {
        Origin = "test",
        SignedBytes = payload ?? _payload,
        LoggedPayload = payload ?? _payload,
        Signature = signature ?? _signature,
    };

    public static TheoryData<string> Kinds => ["hashedrekord 0.0.2", "dsse 0.0.2", "intoto 0.0.2", "dsse 0.0.1", "hashedrekord 0.0.1"];

    private byte[] Body(string kind) => kind switch
    {
        "hashedrekord 0.0.2" => RekorV2TestLog.HashedRekordV002(_payload, _signature, _leaf),
        "dsse 0.0.2" => RekorV2TestLog.DsseV002(_payload, _signature, _leaf),
        "intoto 0.0.2" => KeylessBundleFactory.IntotoV002(_payload, _signature, _leaf),
        "dsse 0.0.1" => KeylessBundleFactory.DsseV001(_payload, _signature, _leaf),
        _ => FulcioTestAuthority.HashedRekord(_payload, _signature, _leaf),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Entry_about_this_signature_matches(string kind) =>
        Assert.Null(RekorEntryMatcher.Check(Body(kind), Evidence(), _leaf.RawData));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Entry_about_another_signature_payload_or_signer_does_not_match(string kind)
    {
        var body = Body(kind);
        Assert.Contains("another signature", RekorEntryMatcher.Check(body, Evidence(signature: [.. _signature, 0]), _leaf.RawData), StringComparison.Ordinal);
        Assert.Contains("another payload", RekorEntryMatcher.Check(body, Evidence(payload: [.. _payload, 0x20]), _leaf.RawData), StringComparison.Ordinal);
        Assert.Contains("another key", RekorEntryMatcher.Check(body, Evidence(), _fulcio.Root.RawData), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_kinds_and_broken_bodies_are_reasons_not_exceptions()
    {
        Assert.Contains("not supported", RekorEntryMatcher.Check("{\"kind\":\"rekord\",\"apiVersion\":\"0.0.1\",\"spec\":{}}"u8.ToArray(), Evidence(), _leaf.RawData), StringComparison.Ordinal);
        Assert.NotNull(RekorEntryMatcher.Check("{\"kind\":\"dsse\",\"apiVersion\":\"0.0.2\",\"spec\":{\"dsseV002\":{\"signatures\":[null]}}}"u8.ToArray(), Evidence(), _leaf.RawData));
        Assert.NotNull(RekorEntryMatcher.Check("{\"kind\":7}"u8.ToArray(), Evidence(), _leaf.RawData));
        Assert.NotNull(RekorEntryMatcher.Check("null"u8.ToArray(), Evidence(), _leaf.RawData));
    }

    public void Dispose()
    {
        _leaf.Dispose();
        _fulcio.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
