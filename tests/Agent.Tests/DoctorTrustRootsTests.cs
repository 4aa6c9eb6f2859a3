using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using UpdateAgent.Commands;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Tests;

public sealed class DoctorTrustRootsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("doctor-root-").FullName;

    private static JsonObject Key(AsymmetricAlgorithm key, string baseUrl, string? end)
    {
        var spki = key.ExportSubjectPublicKeyInfo();
        var window = new JsonObject { ["start"] = "2021-01-01T00:00:00Z" };
        if (end is not null)
        {
            window["end"] = end;
        }
        return new JsonObject
        {
            ["baseUrl"] = baseUrl,
            ["hashAlgorithm"] = "SHA2_256",
            ["publicKey"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(spki), ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256", ["validFor"] = window },
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(SHA256.HashData(spki)) },
        };
    }

    private TrustPolicy Load(int ageDays, string?[] ctEnds, string? rekorEnd = null)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = new CertificateRequest("CN=doctor test CA", caKey, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddYears(-2), Now.AddYears(2));
        using var rekor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ctKeys = ctEnds.Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256)).ToList();
        var json = new JsonObject
        {
            ["mediaType"] = "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            ["tlogs"] = new JsonArray(Key(rekor, "https://rekor.test", rekorEnd)),
            ["ctlogs"] = new JsonArray(ctKeys.Select((k, i) => (JsonNode)Key(k, $"https://ctfe.test/{i}", ctEnds[i])).ToArray()),
            ["certificateAuthorities"] = new JsonArray(new JsonObject
            {
                ["uri"] = "https://fulcio.test",
                ["certChain"] = new JsonObject { ["certificates"] = new JsonArray(new JsonObject { ["rawBytes"] = Convert.ToBase64String(ca.RawData) }) },
                ["validFor"] = new JsonObject { ["start"] = "2022-04-13T00:00:00Z" },
            }),
        };
        ctKeys.ForEach(k => k.Dispose());
        var rootPath = Path.Combine(_folder, "trusted_root.json");
        File.WriteAllText(rootPath, json.ToJsonString());
        File.SetLastWriteTimeUtc(rootPath, Now.AddDays(-ageDays).UtcDateTime);
        var policyPath = Path.Combine(_folder, "policy.toml");
        File.WriteAllText(policyPath, """
            [authorities.release]
            issuer = "https://token.actions.githubusercontent.com"
            subject = "https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main"
            trusted_root = "trusted_root.json"
            """);
        var loaded = TrustPolicyLoader.Load(policyPath);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return loaded.Policy!;
    }

    [Fact]
    public void A_fresh_root_is_reported_with_its_file_age_and_every_window()
    {
        var finding = Assert.Single(DoctorTrustRoots.Describe(Load(3, [null]), Now));

        Assert.Equal(DoctorTrustRoots.Level.Ok, finding.Level);
        Assert.Equal("trust root of 'release'", finding.What);
        Assert.Contains(Path.Combine(_folder, "trusted_root.json"), finding.Detail);
        Assert.Contains("(3 days ago)", finding.Detail);
        Assert.Contains("CA https://fulcio.test: 2022-04-13 00:00:00Z..(open)", finding.Detail);
        Assert.Contains("Rekor log https://rekor.test: 2021-01-01 00:00:00Z..(open)", finding.Detail);
        Assert.Contains("CT log https://ctfe.test/0:", finding.Detail);
    }

    [Fact]
    public void A_root_older_than_90_days_is_a_warning()
    {
        var finding = Assert.Single(DoctorTrustRoots.Describe(Load(120, [null]), Now));

        Assert.Equal(DoctorTrustRoots.Level.Warn, finding.Level);
        Assert.Contains("older than 90 days", finding.Detail);
        Assert.Contains("refresh", finding.Fix);
    }

    [Fact]
    public void An_ended_window_is_a_warning_while_another_key_is_current()
    {
        var finding = Assert.Single(DoctorTrustRoots.Describe(Load(3, ["2022-10-31T00:00:00Z", null]), Now));

        Assert.Equal(DoctorTrustRoots.Level.Warn, finding.Level);
        Assert.Contains("CT log https://ctfe.test/0 ended 2022-10-31", finding.Detail);
        Assert.Contains("(ended)", finding.Detail);
    }

    [Fact]
    public void No_current_CT_log_for_a_keyless_authority_is_a_failure()
    {
        var finding = Assert.Single(DoctorTrustRoots.Describe(Load(3, ["2022-10-31T00:00:00Z"]), Now));

        Assert.Equal(DoctorTrustRoots.Level.Fail, finding.Level);
        Assert.Contains("no CT log is valid now", finding.Detail);
    }

    [Fact]
    public void No_current_Rekor_log_is_a_failure()
    {
        var finding = Assert.Single(DoctorTrustRoots.Describe(Load(3, [null], rekorEnd: "2025-01-01T00:00:00Z"), Now));

        Assert.Equal(DoctorTrustRoots.Level.Fail, finding.Level);
        Assert.Contains("no Rekor log is valid now", finding.Detail);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
