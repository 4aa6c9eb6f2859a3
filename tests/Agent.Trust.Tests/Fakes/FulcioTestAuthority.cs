using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>
/// A throwaway sigstore: a Fulcio-style CA issuing short-lived leaves with the OIDC issuer and
/// GitHub workflow extensions, and a Rekor-style log key that signs entry timestamps and checkpoints.
/// </summary>
internal sealed class FulcioTestAuthority : IDisposable
{
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";
    public const string Workflow = "https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main";
    private const string FulcioArc = "1.3.6.1.4.1.57264.1.";

    public FulcioTestAuthority(string folder, string name = "fulcio")
    {
        RootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name} test root, O=update-agent tests", RootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5));
        RekorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        RootsPath = Path.Combine(folder, name + "-root.pem");
        RekorPath = Path.Combine(folder, name + "-rekor.pub");
        File.WriteAllText(RootsPath, Root.ExportCertificatePem());
        File.WriteAllText(RekorPath, RekorKey.ExportSubjectPublicKeyInfoPem());
        CtLog = new CtLogTestAuthority(folder, name + "-ctlog");
    }

    /// <summary>The CT log whose SCTs <see cref="IssueLeaf"/> embeds by default.</summary>
    public CtLogTestAuthority CtLog { get; }

    /// <summary>SHA-256 of the CA's SubjectPublicKeyInfo: the issuer key hash an SCT signs.</summary>
    public byte[] IssuerKeyHash => SHA256.HashData(Root.PublicKey.ExportSubjectPublicKeyInfo());

    public ECDsa RootKey { get; }
    public X509Certificate2 Root { get; }
    public ECDsa RekorKey { get; }
    public string RootsPath { get; }
    public string RekorPath { get; }
    public string LogIdHex => Convert.ToHexStringLower(SHA256.HashData(RekorKey.ExportSubjectPublicKeyInfo()));

    /// <summary>
    /// A leaf like Fulcio issues for a GitHub Actions workflow. <paramref name="scts"/> gets the
    /// precertificate TBS and returns the SCT-list extension value to embed (null: none); by default
    /// one valid SCT from <see cref="CtLog"/> at <paramref name="notBefore"/>.
    /// </summary>
    public (X509Certificate2 Leaf, ECDsa Key) IssueLeaf(DateTimeOffset notBefore, string issuer = GitHubIssuer, string subject = Workflow,
        string workflowRepository = "acme/shop", string workflowRef = "refs/heads/main", string sourceRepository = "https://github.com/acme/shop",
        Func<byte[], byte[]?>? scts = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(subject));
        request.CertificateExtensions.Add(san.Build(true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        request.CertificateExtensions.Add(new X509Extension(FulcioArc + "1", Encoding.UTF8.GetBytes(issuer), false));
        request.CertificateExtensions.Add(new X509Extension(FulcioArc + "8", Utf8String(issuer), false));
        request.CertificateExtensions.Add(new X509Extension(FulcioArc + "5", Encoding.UTF8.GetBytes(workflowRepository), false));
        request.CertificateExtensions.Add(new X509Extension(FulcioArc + "6", Encoding.UTF8.GetBytes(workflowRef), false));
        request.CertificateExtensions.Add(new X509Extension(FulcioArc + "12", Utf8String(sourceRepository), false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        // As Fulcio does: the CT log signs the precertificate, the SCTs then go into the final leaf.
        using var precertificate = request.Create(Root, notBefore, notBefore.AddMinutes(10), serial);
        var tbs = CtLogTestAuthority.Tbs(precertificate.RawData);
        var sctList = (scts ?? (t => CtLogTestAuthority.ListExtension(CtLog.Sct(t, IssuerKeyHash, notBefore))))(tbs);
        if (sctList is not null)
        {
            request.CertificateExtensions.Add(new X509Extension(CtLogTestAuthority.SctListOid, sctList, false));
        }
        var leaf = request.Create(Root, notBefore, notBefore.AddMinutes(10), serial);
        return (leaf, key);
    }

    /// <summary>The annotations cosign puts on a keyless .sig layer: signature, certificate, chain and Rekor bundle.</summary>
    /// <param name="unixTime">The integration time the log signs, when it is no date at all (malformed-entry tests).</param>
    public Dictionary<string, string> SignLayer(byte[] payload, X509Certificate2 leaf, ECDsa key, DateTimeOffset integratedAt, bool breakSet = false, long? unixTime = null)
    {
        var signature = key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var body = HashedRekord(payload, signature, leaf);
        var bodyB64 = Convert.ToBase64String(body);
        var time = unixTime ?? integratedAt.ToUnixTimeSeconds();
        var canonical = Encoding.UTF8.GetBytes($"{{\"body\":\"{bodyB64}\",\"integratedTime\":{time},\"logID\":\"{LogIdHex}\",\"logIndex\":42}}");
        var set = RekorKey.SignData(canonical, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (breakSet)
        {
            set[^1] ^= 0x01;
        }
        var bundle = new JsonObject
        {
            ["SignedEntryTimestamp"] = Convert.ToBase64String(set),
            ["Payload"] = new JsonObject { ["body"] = bodyB64, ["integratedTime"] = time, ["logIndex"] = 42, ["logID"] = LogIdHex },
        };
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dev.cosignproject.cosign/signature"] = Convert.ToBase64String(signature),
            ["dev.sigstore.cosign/certificate"] = leaf.ExportCertificatePem(),
            ["dev.sigstore.cosign/chain"] = Root.ExportCertificatePem(),
            ["dev.sigstore.cosign/bundle"] = bundle.ToJsonString(),
        };
    }

    public static byte[] HashedRekord(byte[] payload, byte[] signature, X509Certificate2 leaf) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "0.0.1",
        ["kind"] = "hashedrekord",
        ["spec"] = new JsonObject
        {
            ["data"] = new JsonObject { ["hash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(payload)) } },
            ["signature"] = new JsonObject
            {
                ["content"] = Convert.ToBase64String(signature),
                ["publicKey"] = new JsonObject { ["content"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(leaf.ExportCertificatePem())) },
            },
        },
    }.ToJsonString());

    public string AuthorityToml(string name, string extra = "") => $"""
        [authorities.{name}]
        issuer = "{GitHubIssuer}"
        subject_regexp = "https://github.com/acme/shop/\\.github/workflows/release\\.yml@refs/heads/.*"
        workflow_repository = "acme/shop"
        workflow_ref = "refs/heads/main"
        fulcio_roots = "{RootsPath}"
        rekor_key = "{RekorPath}"
        ct_log_key = "{CtLog.KeyPath}"
        {extra}
        """;

    /// <summary>This sigstore as a <c>trusted_root.json</c>: its Rekor log, its CT log and its CA, with the given window ends.</summary>
    public TrustedRootBuilder TrustedRoot(DateTimeOffset? caEnd = null, DateTimeOffset? ctEnd = null)
    {
        var rekor = RekorKey.ExportSubjectPublicKeyInfo();
        var ct = CtLog.Key.ExportSubjectPublicKeyInfo();
        return new TrustedRootBuilder()
            .Tlog(rekor, "PKIX_ECDSA_P256_SHA_256", TrustedRootBuilder.LogId(rekor), "https://rekor.test")
            .Ctlog(ct, "PKIX_ECDSA_P256_SHA_256", CtLog.LogId, "https://ctfe.test/2026", end: ctEnd)
            .Ca([Root], "https://fulcio.test", end: caEnd);
    }

    private static byte[] Utf8String(string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        return writer.Encode();
    }

    public void Dispose()
    {
        RootKey.Dispose();
        RekorKey.Dispose();
        Root.Dispose();
        CtLog.Dispose();
    }
}
