using System.Security.Cryptography.X509Certificates;

namespace UpdateAgent.Trust.Keyless;

/// <summary>
/// Checks a signing certificate against configured roots at the signing time (not now: Fulcio
/// leaves live ten minutes), with code-signing usage.
/// </summary>
internal static class CertificateChainVerifier
{
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <summary>Null when the chain holds; otherwise the reason code and why.</summary>
    public static (string Code, string Message)? Check(
        X509Certificate2 leaf, IReadOnlyList<X509Certificate2> shipped, X509Certificate2Collection roots, DateTimeOffset signedAt)
    {
        if (signedAt < leaf.NotBefore.ToUniversalTime() || signedAt > leaf.NotAfter.ToUniversalTime())
        {
            return (UpdateAgent.Trust.ReasonCodes.CertificateExpired,
                $"the certificate is valid {leaf.NotBefore.ToUniversalTime():u}..{leaf.NotAfter.ToUniversalTime():u}, the signature was logged at {signedAt:u}");
        }
        var usage = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usage is null || !usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == CodeSigningOid))
        {
            return (UpdateAgent.Trust.ReasonCodes.UntrustedChain, "the certificate is not for code signing");
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = signedAt.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        foreach (var certificate in shipped)
        {
            chain.ChainPolicy.ExtraStore.Add(certificate);
        }
        if (!chain.Build(leaf))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return (UpdateAgent.Trust.ReasonCodes.UntrustedChain, $"the certificate does not chain to a configured root ({status})");
        }
        return null;
    }
}
