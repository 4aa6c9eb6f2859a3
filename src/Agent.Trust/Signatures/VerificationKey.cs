using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace UpdateAgent.Trust.Signatures;

/// <summary>
/// A public key that signatures are checked with: ECDSA (P-256/P-384/P-521), RSA (PKCS#1 v1.5
/// or PSS) or Ed25519 (pure or pre-hashed), loaded from a DER SubjectPublicKeyInfo.
/// </summary>
internal sealed class VerificationKey
{
    private const string EcOid = "1.2.840.10045.2.1";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string Ed25519Oid = "1.3.101.112";

    private readonly Func<byte[], byte[], bool> _verify;
    private readonly Func<byte[], byte[], bool> _verifyDigest;

    private VerificationKey(string algorithm, byte[] spki, Func<byte[], byte[], bool> verify, Func<byte[], byte[], bool> verifyDigest)
    {
        Algorithm = algorithm;
        SubjectPublicKeyInfo = spki;
        _verify = verify;
        _verifyDigest = verifyDigest;
        Fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    /// <summary>e.g. <c>ecdsa-p256</c>, <c>rsa-2048</c>, <c>ed25519</c>.</summary>
    public string Algorithm { get; }

    /// <summary>DER SubjectPublicKeyInfo.</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo: how a key is named in verdicts (and Rekor's log id).</summary>
    public string Fingerprint { get; }

    /// <summary>Whether <paramref name="signature"/> is a valid signature of <paramref name="data"/> under this key.</summary>
    public bool Verify(byte[] data, byte[] signature)
    {
        try
        {
            return _verify(data, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is a valid signature of a message whose SHA-256 is
    /// <paramref name="sha256"/> (a Sigstore message signature, checked when only the digest is known).
    /// Pure Ed25519 signs the message itself, so it never verifies from a digest.
    /// </summary>
    public bool VerifyDigest(byte[] sha256, byte[] signature)
    {
        if (sha256.Length != SHA256.HashSizeInBytes)
        {
            return false;
        }
        try
        {
            return _verifyDigest(sha256, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Loads the first <c>PUBLIC KEY</c> block of a PEM text.</summary>
    /// <exception cref="FormatException">No public key, or an unsupported algorithm.</exception>
    public static VerificationKey FromPem(string pem)
    {
        foreach (var block in PemBlocks.Read(pem))
        {
            if (block.Label == "PUBLIC KEY")
            {
                return FromSubjectPublicKeyInfo(block.Der);
            }
        }
        throw new FormatException("no PEM 'PUBLIC KEY' block");
    }

    /// <summary>Smallest RSA modulus accepted, as NIST SP 800-131A and the Sigstore clients require.</summary>
    public const int MinimumRsaBits = 2048;

    /// <summary>Smallest elliptic curve accepted (P-256).</summary>
    public const int MinimumEcBits = 256;

    /// <summary>Loads a DER SubjectPublicKeyInfo.</summary>
    /// <exception cref="FormatException">Malformed, or an unsupported algorithm.</exception>
    public static VerificationKey FromSubjectPublicKeyInfo(byte[] spki)
    {
        string oid;
        try
        {
            var reader = new AsnReader(spki, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            var algorithm = sequence.ReadSequence();
            oid = algorithm.ReadObjectIdentifier();
        }
        catch (AsnContentException ex)
        {
            throw new FormatException("not a DER SubjectPublicKeyInfo", ex);
        }
        try
        {
            return oid switch
            {
                EcOid => Ecdsa(spki),
                RsaOid => Rsa(spki),
                Ed25519Oid => Ed25519(spki),
                _ => throw new FormatException($"unsupported public key algorithm {oid}"),
            };
        }
        // The platform refuses a curve it does not know (an EC key whose curve OID was changed)
        // with PlatformNotSupportedException; a key body that is no DER fails in the ASN.1 reader.
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException or AsnContentException)
        {
            throw new FormatException($"the public key cannot be loaded: {ex.Message}", ex);
        }
    }

    private static VerificationKey Ecdsa(byte[] spki)
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        var size = key.KeySize;
        if (size < MinimumEcBits)
        {
            throw new FormatException($"an ECDSA key on a {size}-bit curve is too weak; P-256 or larger is required");
        }
        // cosign hashes with SHA-256 whatever the curve; other signers match the hash to the curve.
        var curveHash = size switch { 384 => HashAlgorithmName.SHA384, 521 => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
        return new VerificationKey($"ecdsa-p{size}", spki, (data, signature) =>
            key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            || (curveHash != HashAlgorithmName.SHA256 && key.VerifyData(data, signature, curveHash, DSASignatureFormat.Rfc3279DerSequence)),
            (sha256, signature) => key.VerifyHash(sha256, signature, DSASignatureFormat.Rfc3279DerSequence));
    }

    private static VerificationKey Rsa(byte[] spki)
    {
        var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        if (key.KeySize < MinimumRsaBits)
        {
            // Factoring RSA-512 costs hours of rented compute; a signature from such a key proves nothing.
            throw new FormatException($"an RSA key of {key.KeySize} bits is too weak; {MinimumRsaBits} bits or more are required");
        }
        return new VerificationKey($"rsa-{key.KeySize}", spki, (data, signature) =>
            key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            || key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            (sha256, signature) => key.VerifyHash(sha256, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                || key.VerifyHash(sha256, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    private static VerificationKey Ed25519(byte[] spki)
    {
        var reader = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
        reader.ReadSequence();
        var raw = reader.ReadBitString(out _);
        if (raw.Length != 32)
        {
            throw new FormatException("an Ed25519 public key is 32 bytes");
        }
        var key = new Ed25519PublicKeyParameters(raw, 0);
        // Older cosign signs with pure Ed25519, current cosign with Ed25519ph: accept either.
        return new VerificationKey("ed25519", spki, (data, signature) =>
            Check(new Ed25519Signer(), key, data, signature) || Check(new Ed25519phSigner([]), key, data, signature),
            static (_, _) => false);
    }

    private static bool Check(Org.BouncyCastle.Crypto.ISigner signer, Ed25519PublicKeyParameters key, byte[] data, byte[] signature)
    {
        signer.Init(false, key);
        signer.BlockUpdate(data, 0, data.Length);
        return signer.VerifySignature(signature);
    }
}
