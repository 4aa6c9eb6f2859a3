using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpdateAgent.Trust.Keyless;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A certificate's Fulcio identity: its subject alternative names and the OIDC issuer, workflow and
/// source-repository extensions, and its key as the keyless check loads it. Input that the platform
/// cannot load as a DER certificate is skipped (<see cref="CryptographicException"/>: bundles
/// reject such certificates before reading them). Handled: <see cref="FormatException"/>
/// (documented on Read and on loading the key; the keyless check catches exactly that).
/// </summary>
internal static class FulcioTarget
{
    public static FuzzTarget Target { get; } = new("fulcio", "FormatException (a certificate that does not load is skipped)", Run);

    private static void Run(byte[] input)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(input);
        }
        catch (CryptographicException)
        {
            return;
        }
        using (certificate)
        {
            try
            {
                FulcioCertificate.Read(certificate);
            }
            catch (FormatException)
            {
            }
            try
            {
                VerificationKey.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo());
            }
            catch (FormatException)
            {
            }
        }
    }
}
