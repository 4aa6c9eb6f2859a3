using System.Security.Cryptography;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Policy;

/// <summary>
/// Turns a trust root's <c>publicKey {rawBytes, keyDetails}</c> into a <see cref="VerificationKey"/>.
/// <c>PKIX_*</c> keys are DER SubjectPublicKeyInfo; the <c>PKCS1_RSA_*</c> ones (older CT logs) are a
/// bare PKCS#1 RSAPublicKey and are wrapped first.
/// </summary>
internal static class TrustedRootKey
{
    /// <summary>Reads one key; <paramref name="where"/> names it in messages.</summary>
    /// <exception cref="FormatException">Missing, bad base64, an unknown key type, or a key that is not what <c>keyDetails</c> says.</exception>
    public static VerificationKey Read(string? rawBytes, string? keyDetails, string where)
    {
        if (keyDetails is null)
        {
            throw new FormatException($"{where}.keyDetails is missing");
        }
        var family = Family(keyDetails)
            ?? throw new FormatException($"{where}.keyDetails is '{keyDetails}', an unknown key type");
        var der = TrustedRootFile.Base64(rawBytes, $"{where}.rawBytes");
        if (keyDetails.StartsWith("PKCS1_RSA_", StringComparison.Ordinal))
        {
            der = WrapPkcs1(der, where);
        }
        VerificationKey key;
        try
        {
            key = VerificationKey.FromSubjectPublicKeyInfo(der);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{where}.rawBytes: {ex.Message}", ex);
        }
        if (!key.Algorithm.StartsWith(family, StringComparison.Ordinal))
        {
            throw new FormatException($"{where}.rawBytes holds an {key.Algorithm} key, not the {keyDetails} that keyDetails says");
        }
        return key;
    }

    // The algorithm prefix (as VerificationKey names it) each known keyDetails value must have.
    private static string? Family(string keyDetails) => keyDetails switch
    {
        "PKIX_ECDSA_P256_SHA_256" => "ecdsa-p256",
        "PKIX_ECDSA_P384_SHA_384" => "ecdsa-p384",
        "PKIX_ECDSA_P521_SHA_512" => "ecdsa-p521",
        "PKIX_ED25519" or "PKIX_ED25519_PH" => "ed25519",
        "PKIX_RSA_PKCS1V15_2048_SHA256" or "PKIX_RSA_PSS_2048_SHA256" => "rsa-2048",
        "PKIX_RSA_PKCS1V15_3072_SHA256" or "PKIX_RSA_PSS_3072_SHA256" => "rsa-3072",
        "PKIX_RSA_PKCS1V15_4096_SHA256" or "PKIX_RSA_PSS_4096_SHA256" => "rsa-4096",
        "PKIX_RSA_PKCS1V5" or "PKIX_RSA_PSS" or "PKCS1_RSA_PKCS1V5" or "PKCS1_RSA_PSS" => "rsa-",
        _ => null,
    };

    private static byte[] WrapPkcs1(byte[] der, string where)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportRSAPublicKey(der, out var read);
            if (read != der.Length)
            {
                throw new FormatException($"{where}.rawBytes has bytes after the RSA public key");
            }
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"{where}.rawBytes is not a PKCS#1 RSA public key: {ex.Message}", ex);
        }
    }
}
