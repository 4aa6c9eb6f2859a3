using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Policy;

public sealed class TrustedRootFileTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("trusted-root-").FullName;

    /// <summary>Everything the public-good root carries: a Rekor v1 ECDSA key, a Rekor v2 Ed25519 key
    /// (signed-note key ID), an old PKCS#1 RSA CT log and a current one, a Fulcio root + intermediate, a TSA.</summary>
    private static TrustedRootBuilder PublicGoodShaped(out byte[] v2KeyId)
    {
        using var rekorV1 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var v1Spki = rekorV1.ExportSubjectPublicKeyInfo();
        var ed = new Ed25519PrivateKeyParameters(new SecureRandom()).GeneratePublicKey().GetEncoded();
        var edSpki = new byte[] { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 }.Concat(ed).ToArray();
        v2KeyId = SHA256.HashData([.. Encoding.UTF8.GetBytes("log2025-1.rekor.test\n"), 0x01, .. ed]);
        using var oldCt = RSA.Create(2048);
        using var ct = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (root, intermediate) = Chain("fulcio");
        var (tsaRoot, tsaLeaf) = Chain("tsa");
        return new TrustedRootBuilder()
            .Tlog(v1Spki, "PKIX_ECDSA_P256_SHA_256", TrustedRootBuilder.LogId(v1Spki), "https://rekor.test")
            .Tlog(edSpki, "PKIX_ED25519", v2KeyId, "https://log2025-1.rekor.test/", new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero))
            .Ctlog(oldCt.ExportRSAPublicKey(), "PKCS1_RSA_PKCS1V5", SHA256.HashData(oldCt.ExportSubjectPublicKeyInfo()), "https://ctfe.test/test",
                new DateTimeOffset(2021, 3, 14, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2022, 10, 31, 0, 0, 0, TimeSpan.Zero))
            .Ctlog(ct.ExportSubjectPublicKeyInfo(), "PKIX_ECDSA_P256_SHA_256", TrustedRootBuilder.LogId(ct.ExportSubjectPublicKeyInfo()), "https://ctfe.test/2022",
                new DateTimeOffset(2022, 10, 20, 0, 0, 0, TimeSpan.Zero))
            .Ca([intermediate, root], "https://fulcio.test", new DateTimeOffset(2022, 4, 13, 0, 0, 0, TimeSpan.Zero))
            .Tsa([tsaLeaf, tsaRoot], "https://timestamp.test/api/v1/timestamp", new DateTimeOffset(2025, 7, 4, 0, 0, 0, TimeSpan.Zero));
    }

    private static (X509Certificate2 Root, X509Certificate2 Child) Chain(string name)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var rootRequest = new CertificateRequest($"CN={name} root", rootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var root = rootRequest.CreateSelfSigned(Now.AddYears(-3), Now.AddYears(5));
        using var childKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var childRequest = new CertificateRequest($"CN={name} intermediate", childKey, HashAlgorithmName.SHA384);
        childRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        var child = childRequest.Create(root, Now.AddYears(-3), Now.AddYears(4), [1, 2, 3]);
        return (root, child);
    }

    private string Write(JsonNode json)
    {
        var path = Path.Combine(_folder, "trusted_root.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static string Refusal(string path) => Assert.Throws<FormatException>(() => TrustedRootFile.Read(path)).Message;

    [Fact]
    public void A_public_good_shaped_root_reads_with_every_key_window_and_log_id()
    {
        var path = PublicGoodShaped(out var v2KeyId).Write(Path.Combine(_folder, "trusted_root.json"));
        File.SetLastWriteTimeUtc(path, Now.AddDays(-3).UtcDateTime);

        var root = TrustedRootFile.Read(path);

        Assert.Equal(path, root.SourceFile);
        Assert.Equal(Now.AddDays(-3), root.SourceWritten);
        Assert.Equal(2, root.TransparencyLogs.Count);
        var v1 = root.TransparencyLogs[0];
        Assert.Equal(v1.Key.Fingerprint["sha256:".Length..], v1.LogIdHex);
        Assert.Equal("rekor.test", v1.Origin);
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), v1.ValidFor.Start);
        Assert.Null(v1.ValidFor.End);
        var v2 = root.TransparencyLogs[1];
        Assert.Equal("ed25519", v2.Key.Algorithm);
        Assert.Equal(Convert.ToHexStringLower(v2KeyId), v2.LogIdHex);
        Assert.Equal("log2025-1.rekor.test", v2.Origin);
        Assert.Equal("https://log2025-1.rekor.test/", v2.BaseUrl);
        Assert.Equal(2, root.CertificateTransparencyLogs.Count);
        Assert.Equal("rsa-2048", root.CertificateTransparencyLogs[0].Key.Algorithm);
        Assert.Equal(root.CertificateTransparencyLogs[0].Key.Fingerprint["sha256:".Length..], root.CertificateTransparencyLogs[0].LogIdHex);
        Assert.False(root.CertificateTransparencyLogs[0].ValidFor.Contains(Now));
        var ca = Assert.Single(root.CertificateAuthorities);
        Assert.Equal(2, ca.Chain.Count);
        Assert.Equal("CN=fulcio intermediate", ca.Chain[0].Subject);
        Assert.Equal("https://fulcio.test", ca.Name);
        Assert.Single(root.TimestampAuthorities);
    }

    [Fact]
    public void Absent_lists_read_as_empty_and_the_newer_media_type_spelling_is_accepted()
    {
        var root = TrustedRootFile.Read(Write(new JsonObject { ["mediaType"] = "application/vnd.dev.sigstore.trustedroot.v0.1+json" }));

        Assert.Empty(root.TransparencyLogs);
        Assert.Empty(root.CertificateAuthorities);
    }

    [Theory]
    [InlineData("tlogs")]
    [InlineData("ctlogs")]
    [InlineData("certificateAuthorities")]
    [InlineData("timestampAuthorities")]
    public void A_null_list_is_a_load_error_naming_it(string list)
    {
        var json = PublicGoodShaped(out _).ToJson();
        json[list] = null;

        var message = Refusal(Write(json));

        Assert.Contains("trusted_root.json", message);
        Assert.Contains($"{list} is null", message);
    }

    [Fact]
    public void A_null_entry_or_certificate_is_a_load_error_naming_it()
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["ctlogs"]!.AsArray().Add(null);
        Assert.Contains("ctlogs[2] is null", Refusal(Write(json)));

        json = PublicGoodShaped(out _).ToJson();
        json["certificateAuthorities"]![0]!["certChain"]!["certificates"]!.AsArray().Insert(0, null);
        Assert.Contains("certificateAuthorities[0].certChain.certificates[0] is null", Refusal(Write(json)));
    }

    [Fact]
    public void Bad_base64_is_a_load_error_naming_the_field()
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["tlogs"]![1]!["publicKey"]!["rawBytes"] = "not*base64!";

        Assert.Contains("tlogs[1].publicKey.rawBytes is not base64", Refusal(Write(json)));
    }

    [Fact]
    public void A_log_ID_that_is_not_32_bytes_is_a_load_error()
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["ctlogs"]![0]!["logId"]!["keyId"] = Convert.ToBase64String([1]);

        Assert.Contains("ctlogs[0].logId.keyId is 1 bytes, not a 32-byte log ID", Refusal(Write(json)));
    }

    [Fact]
    public void An_unknown_key_type_is_a_load_error()
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["ctlogs"]![1]!["publicKey"]!["keyDetails"] = "ML_DSA_65";

        Assert.Contains("ctlogs[1].publicKey.keyDetails is 'ML_DSA_65', an unknown key type", Refusal(Write(json)));
    }

    [Fact]
    public void A_key_that_is_not_what_key_details_says_is_a_load_error()
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["tlogs"]![0]!["publicKey"]!["keyDetails"] = "PKIX_ED25519";

        Assert.Contains("holds an ecdsa-p256 key, not the PKIX_ED25519", Refusal(Write(json)));
    }

    [Theory]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-01-01")]
    [InlineData("2024-01-01T00:00:00")]
    public void A_bad_window_time_is_a_load_error(string start)
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["certificateAuthorities"]![0]!["validFor"]!["start"] = start;

        Assert.Contains($"certificateAuthorities[0].validFor.start is '{start}', not an RFC 3339 time", Refusal(Write(json)));
    }

    [Fact]
    public void A_window_without_start_is_a_load_error_not_an_unbounded_key()
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["tlogs"]![1]!["publicKey"]!["validFor"]!.AsObject().Remove("start");

        Assert.Contains("tlogs[1].publicKey.validFor.start is missing", Refusal(Write(json)));
    }

    [Fact]
    public void A_window_ending_before_it_starts_is_a_load_error()
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["tlogs"]![0]!["publicKey"]!["validFor"]!["end"] = "2020-01-01T00:00:00Z";

        Assert.Contains("tlogs[0].publicKey.validFor ends", Refusal(Write(json)));
    }

    [Fact]
    public void A_certificate_that_is_not_der_is_a_load_error()
    {
        var json = PublicGoodShaped(out _).ToJson();
        json["timestampAuthorities"]![0]!["certChain"]!["certificates"]![1]!["rawBytes"] = Convert.ToBase64String([1, 2, 3]);

        Assert.Contains("timestampAuthorities[0].certChain.certificates[1] is not a DER certificate", Refusal(Write(json)));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle+json;version=0.3\"}")]
    [InlineData("{\"tlogs\":[]}")]
    public void Something_else_is_a_load_error_naming_the_file(string text)
    {
        var path = Path.Combine(_folder, "trusted_root.json");
        File.WriteAllText(path, text);

        Assert.StartsWith(path + ": ", Refusal(path));
    }

    // Found by bench/fuzz (trusted-root): the log key's curve OID is not one the platform knows.
    [Fact]
    public void A_log_key_on_an_unknown_curve_is_refused_naming_the_key()
    {
        var json = """
            {"mediaType":"application/vnd.dev.sigstore.trustedroot\u002B","tlogs":[{"baseUrl":"https://rt","hashAlgorithm":"SHA2_256","publicKey":{"rawBytes":"MFkwEwYHKoZIzj0CAQYIKoZZzj0DAQcDQgAE83uT/8ditdlvSa\u002BNXjXTiUuvgZ1fJGFGJX3/pBLFmc6soRr\u002BifFWbbK4zMBwfYLPaWolxmCglkNsg1e4j066yQ==","keyDetails":"PKIX_ECDSA_P256_SHA_256","validFor":{"start":"2021-01-01T00:00:00Z"}},"logId":{"keyId":"17/FkCOPsPzO47ICMOYB8cwmT7mTDRfpv2xzVIvLxB0="}}],"cs":[{"sut":{"orgame":"test"},"uri":"est","ceain":{"ctes":[{"":"MIo"}]},"":{"t":""}}],"ct":[{"bas":"h6","m":"","p":{"":"MQE="}}],"torities":[]}
            """;

        var ex = Assert.Throws<FormatException>(() => TrustedRootFile.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("tlogs[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_oversized_file_is_a_load_error()
    {
        var path = Path.Combine(_folder, "trusted_root.json");
        Assert.Contains("does not exist", Refusal(path));

        File.WriteAllText(path, new string(' ', (int)TrustedRootFile.MaxBytes + 1));
        Assert.Contains("larger than", Refusal(path));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
