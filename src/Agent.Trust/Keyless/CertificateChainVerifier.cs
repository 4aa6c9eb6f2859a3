using System.Security.Cryptography.X509Certificates;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Trust.Keyless;

/// <summary>
/// Checks a signing certificate at the signing time (not now: Fulcio leaves live ten minutes):
/// code-signing usage, a chain to a certificate authority of the trust root whose window holds the
/// signing time, and (unless the policy opts out) a valid embedded SCT from a trusted CT log.
/// </summary>
internal static class CertificateChainVerifier
{
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <summary>Null when the certificate holds; otherwise the reason code and why.</summary>
    /// <param name="leaf">The signing certificate.</param>
    /// <param name="shipped">Certificates the signature came with; used only as intermediates, never as anchors.</param>
    /// <param name="trustRoot">The authority's trust root: its CAs anchor the chain, its CT logs judge the SCTs.</param>
    /// <param name="signedAt">The verified signing time.</param>
    /// <param name="requireSct">Whether a valid SCT is required (the default; a policy may opt out).</param>
    public static (string Code, string Message)? Check(
        X509Certificate2 leaf, IReadOnlyList<X509Certificate2> shipped, SigstoreTrustRoot trustRoot, DateTimeOffset signedAt, bool requireSct = true)
    {
        if (signedAt < leaf.NotBefore.ToUniversalTime() || signedAt > leaf.NotAfter.ToUniversalTime())
        {
            return (ReasonCodes.CertificateExpired,
                $"the certificate is valid {leaf.NotBefore.ToUniversalTime():u}..{leaf.NotAfter.ToUniversalTime():u}, the signature was logged at {signedAt:u}");
        }
        var usage = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usage is null || !usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == CodeSigningOid))
        {
            return (ReasonCodes.UntrustedChain, "the certificate is not for code signing");
        }
        if (trustRoot.CertificateAuthorities.Count == 0)
        {
            return (ReasonCodes.UntrustedChain, "no certificate authority is configured");
        }
        X509Certificate2? issuer = null;
        string? status = null;
        foreach (var authority in trustRoot.CertificateAuthorities.Where(a => a.ValidFor.Contains(signedAt)))
        {
            issuer = Issuer(leaf, shipped, authority, signedAt, out status);
            if (issuer is not null)
            {
                break;
            }
        }
        if (issuer is null)
        {
            // Say so when the certificate does chain, but to a CA that was not trusted at that time.
            var outside = trustRoot.CertificateAuthorities.Where(a => !a.ValidFor.Contains(signedAt))
                .FirstOrDefault(a => Issuer(leaf, shipped, a, signedAt, out _) is not null);
            return outside is not null
                ? (ReasonCodes.UntrustedChain, $"the certificate chains to CA '{outside.Name}', which is trusted only {outside.ValidFor}, not at the signing time {signedAt:u}")
                : (ReasonCodes.UntrustedChain, $"the certificate does not chain to a configured CA valid at {signedAt:u}{(status is null ? "" : $" ({status})")}");
        }
        if (!requireSct)
        {
            return null;
        }
        var sctProblem = SctVerifier.Check(leaf, issuer, trustRoot.CertificateTransparencyLogs);
        return sctProblem is null ? null : (ReasonCodes.InvalidSct, sctProblem);
    }

    // The certificate that issued the leaf when it chains to this CA at that time, else null.
    private static X509Certificate2? Issuer(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> shipped, CertificateAuthority authority,
        DateTimeOffset signedAt, out string? status)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = signedAt.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Self-signed certificates anchor; the rest are intermediates. A CA given without its root
        // (an intermediate the operator chose to trust) anchors at its last certificate.
        var anchors = authority.Chain.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToList();
        if (anchors.Count == 0 && authority.Chain.Count > 0)
        {
            anchors.Add(authority.Chain[^1]);
        }
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(authority.Chain.Except(anchors).ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(shipped.ToArray());
        bool built;
        try
        {
            built = chain.Build(leaf);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            status = ex.Message;
            return null;
        }
        if (!built)
        {
            status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return null;
        }
        status = null;
        var elements = chain.ChainElements;
        // A self-signed leaf would be its own issuer; Fulcio never issues one, and it cannot chain here anyway.
        return elements.Count > 1 ? X509CertificateLoader.LoadCertificate(elements[1].Certificate.RawData) : null;
    }
}
