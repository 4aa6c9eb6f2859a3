using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Policy;

// The trust material of an authority: a trusted_root.json, or the PEM settings.
public static partial class TrustPolicyLoader
{
    // Either a trusted_root.json or PEM files, never both: PEM material has no window, so mixing
    // would quietly widen what the file bounds.
    private static SigstoreTrustRoot ReadTrustRoot(TomlSection section, LoadContext context, string? trustedRootPath,
        IReadOnlyList<string> roots, IReadOnlyList<string> rekorKeyPaths, IReadOnlyList<string> ctLogKeyPaths, IReadOnlyList<string> tsaPaths)
    {
        if (trustedRootPath is not null)
        {
            if (roots.Count > 0 || rekorKeyPaths.Count > 0 || ctLogKeyPaths.Count > 0 || tsaPaths.Count > 0)
            {
                section.Error("trusted_root", "use either 'trusted_root' or the PEM settings (fulcio_roots, rekor_key, ct_log_key, tsa_certificates), not both");
            }
            try
            {
                return TrustedRootFile.Read(context.Resolve(trustedRootPath));
            }
            catch (FormatException ex)
            {
                section.Error("trusted_root", ex.Message);
                return SigstoreTrustRoot.Empty;
            }
        }
        return new SigstoreTrustRoot
        {
            CertificateAuthorities = roots.Select(p => LoadCertificates(section, context.Resolve(p))).OfType<CertificateAuthority>().ToList(),
            TransparencyLogs = rekorKeyPaths.Select(p => LoadKey(section, "rekor_key", context.Resolve(p))).OfType<VerificationKey>().Select(LogKey.FromKey).ToList(),
            CertificateTransparencyLogs = ctLogKeyPaths.Select(p => LoadKey(section, "ct_log_key", context.Resolve(p))).OfType<VerificationKey>().Select(LogKey.FromKey).ToList(),
            // One file is one timestamp authority: its chain, leaf first, trusted at every time (PEM carries no window).
            TimestampAuthorities = tsaPaths.Select(p => LoadCertificates(section, context.Resolve(p), "tsa_certificates")).OfType<CertificateAuthority>().ToList(),
        };
    }

    // What a keyless authority cannot work without, when it all comes from one file.
    private static void CheckKeylessTrustRoot(TomlSection section, string? trustedRootPath, SigstoreTrustRoot trustRoot, bool? requireSct)
    {
        if (trustedRootPath is null || trustRoot == SigstoreTrustRoot.Empty)
        {
            return;
        }
        var missing = new[]
        {
            trustRoot.CertificateAuthorities.Count == 0 ? "certificateAuthorities (Fulcio)" : null,
            trustRoot.TransparencyLogs.Count == 0 ? "tlogs (Rekor)" : null,
            requireSct != false && trustRoot.CertificateTransparencyLogs.Count == 0 ? "ctlogs (or set require_sct = false)" : null,
        }.OfType<string>().ToList();
        if (missing.Count > 0)
        {
            section.Error("trusted_root", $"{trustRoot.SourceFile}: a keyless authority needs {string.Join(", ", missing)}");
        }
    }

    private static CertificateAuthority? LoadCertificates(TomlSection section, string path, string key = "fulcio_roots")
    {
        var text = ReadSmallFile(section, key, path);
        if (text is null)
        {
            return null;
        }
        try
        {
            var chain = PemBlocks.Read(text).Where(b => b.Label == "CERTIFICATE").Select(b => X509CertificateLoader.LoadCertificate(b.Der)).ToList();
            if (chain.Count == 0)
            {
                section.Error(key, $"{path}: no PEM CERTIFICATE block");
                return null;
            }
            return new CertificateAuthority(chain, ValidityWindow.Unbounded, path);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            section.Error(key, $"{path}: {ex.Message}");
            return null;
        }
    }
}
