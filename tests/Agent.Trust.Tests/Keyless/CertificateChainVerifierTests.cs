using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpdateAgent.Trust.Keyless;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Keyless;

public sealed class CertificateChainVerifierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chain-").FullName;
    private readonly FulcioTestAuthority _fulcio;
    private readonly DateTimeOffset _signedAt = DateTimeOffset.UtcNow.AddDays(-2);

    public CertificateChainVerifierTests() => _fulcio = new FulcioTestAuthority(_folder);

    private SigstoreTrustRoot PemRoot() => new()
    {
        CertificateAuthorities = [new CertificateAuthority([_fulcio.Root], ValidityWindow.Unbounded, "fulcio.pem")],
        CertificateTransparencyLogs = [LogKey.FromKey(VerificationKey.FromSubjectPublicKeyInfo(_fulcio.CtLog.Key.ExportSubjectPublicKeyInfo()))],
    };

    private SigstoreTrustRoot Read(TrustedRootBuilder builder) => TrustedRootFile.Read(builder.Write(Path.Combine(_folder, "trusted_root.json")));

    private (string Code, string Message)? Check(Func<byte[], byte[]?>? scts = null, SigstoreTrustRoot? root = null, bool requireSct = true)
    {
        var (leaf, key) = _fulcio.IssueLeaf(_signedAt.AddMinutes(-1), scts: scts);
        using (key)
        {
            return CertificateChainVerifier.Check(leaf, [], root ?? PemRoot(), _signedAt, requireSct);
        }
    }

    [Fact]
    public void A_leaf_with_a_valid_SCT_from_a_configured_CT_log_holds()
    {
        Assert.Null(Check());
    }

    [Fact]
    public void A_leaf_without_SCTs_is_refused_as_invalid_sct()
    {
        var failure = Check(scts: _ => null);

        Assert.Equal(ReasonCodes.InvalidSct, failure?.Code);
        Assert.Contains("carries no SCT", failure?.Message);
    }

    [Fact]
    public void A_leaf_without_SCTs_holds_when_the_policy_opts_out()
    {
        Assert.Null(Check(scts: _ => null, requireSct: false));
    }

    [Fact]
    public void An_SCT_whose_signature_does_not_cover_the_certificate_is_refused()
    {
        var failure = Check(scts: tbs => CtLogTestAuthority.ListExtension(_fulcio.CtLog.Sct(tbs, _fulcio.IssuerKeyHash, _signedAt, breakSignature: true)));

        Assert.Equal(ReasonCodes.InvalidSct, failure?.Code);
        Assert.Contains("does not verify", failure?.Message);
    }

    [Fact]
    public void An_SCT_over_another_issuer_key_is_refused()
    {
        var failure = Check(scts: tbs => CtLogTestAuthority.ListExtension(_fulcio.CtLog.Sct(tbs, new byte[32], _signedAt)));

        Assert.Equal(ReasonCodes.InvalidSct, failure?.Code);
    }

    [Fact]
    public void An_SCT_from_an_unconfigured_log_is_refused_naming_the_log()
    {
        using var other = new CtLogTestAuthority(_folder, "other");

        var failure = Check(scts: tbs => CtLogTestAuthority.ListExtension(other.Sct(tbs, _fulcio.IssuerKeyHash, _signedAt)));

        Assert.Equal(ReasonCodes.InvalidSct, failure?.Code);
        Assert.Contains(Convert.ToHexStringLower(other.LogId)[..16], failure?.Message);
        Assert.Contains("not a configured CT log", failure?.Message);
    }

    [Fact]
    public void One_valid_SCT_among_bad_ones_is_enough()
    {
        using var other = new CtLogTestAuthority(_folder, "other");

        Assert.Null(Check(scts: tbs => CtLogTestAuthority.ListExtension(
            other.Sct(tbs, _fulcio.IssuerKeyHash, _signedAt), _fulcio.CtLog.Sct(tbs, _fulcio.IssuerKeyHash, _signedAt))));
    }

    [Theory]
    [InlineData(new byte[] { 0x04, 0x00 })]
    [InlineData(new byte[] { 0x04, 0x02, 0x00, 0x09 })]
    [InlineData(new byte[] { 0x04, 0x05, 0x00, 0x03, 0x00, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x05, 0x00 })]
    public void A_malformed_SCT_list_is_refused_not_thrown(byte[] extension)
    {
        var failure = Check(scts: _ => extension);

        Assert.Equal(ReasonCodes.InvalidSct, failure?.Code);
    }

    [Fact]
    public void A_trusted_root_CA_and_CT_log_valid_at_the_signing_time_hold()
    {
        Assert.Null(Check(root: Read(_fulcio.TrustedRoot())));
    }

    [Fact]
    public void A_CA_whose_window_ended_before_the_signing_time_is_refused_saying_the_window()
    {
        var end = _signedAt.AddDays(-1);

        var failure = Check(root: Read(_fulcio.TrustedRoot(caEnd: end)));

        Assert.Equal(ReasonCodes.UntrustedChain, failure?.Code);
        Assert.Contains("https://fulcio.test", failure?.Message);
        Assert.Contains(end.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture)[..10], failure?.Message);
    }

    [Fact]
    public void An_SCT_from_a_CT_log_outside_its_window_is_refused()
    {
        var failure = Check(root: Read(_fulcio.TrustedRoot(ctEnd: _signedAt.AddDays(-1))));

        Assert.Equal(ReasonCodes.InvalidSct, failure?.Code);
        Assert.Contains("outside the log's window", failure?.Message);
    }

    [Fact]
    public void A_leaf_only_bundle_chains_through_the_intermediate_of_the_trust_root()
    {
        // cosign >= 2 ships only the leaf: the intermediate must come from the trust root.
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fulcio intermediate", intermediateKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var intermediatePublic = request.Create(_fulcio.Root, _signedAt.AddDays(-30), _signedAt.AddYears(1), [7, 7]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
        var issuerHash = SHA256.HashData(intermediate.PublicKey.ExportSubjectPublicKeyInfo());
        using var leaf = LeafFrom(intermediate, issuerHash);
        var root = new SigstoreTrustRoot
        {
            CertificateAuthorities = [new CertificateAuthority([intermediatePublic, _fulcio.Root], ValidityWindow.Unbounded, "fulcio")],
            CertificateTransparencyLogs = PemRoot().CertificateTransparencyLogs,
        };

        Assert.Null(CertificateChainVerifier.Check(leaf, [], root, _signedAt));
        Assert.Equal(ReasonCodes.UntrustedChain, CertificateChainVerifier.Check(leaf, [], PemRoot(), _signedAt)?.Code);
    }

    private X509Certificate2 LeafFrom(X509Certificate2 issuer, byte[] issuerKeyHash)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var notBefore = _signedAt.AddMinutes(-1);
        using var precertificate = request.Create(issuer, notBefore, notBefore.AddMinutes(10), [1, 2, 3]);
        var sct = _fulcio.CtLog.Sct(CtLogTestAuthority.Tbs(precertificate.RawData), issuerKeyHash, notBefore);
        request.CertificateExtensions.Add(new X509Extension(CtLogTestAuthority.SctListOid, CtLogTestAuthority.ListExtension(sct), false));
        return request.Create(issuer, notBefore, notBefore.AddMinutes(10), [1, 2, 3]);
    }

    public void Dispose()
    {
        _fulcio.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
