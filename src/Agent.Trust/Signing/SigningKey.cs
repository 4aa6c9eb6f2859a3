using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Signing;

/// <summary>
/// A private key that signs the way cosign does: ECDSA with SHA-256 (DER signature), RSA
/// PKCS#1 v1.5 with SHA-256, or Ed25519. Loads cosign's encrypted key files and plain PEM.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private const string Ed25519Oid = "1.3.101.112";
    private readonly AsymmetricAlgorithm? _dotnetKey;
    private readonly Func<byte[], byte[]> _sign;

    private SigningKey(AsymmetricAlgorithm? dotnetKey, byte[] publicKeyInfo, Func<byte[], byte[]> sign)
    {
        _dotnetKey = dotnetKey;
        PublicKeyInfo = publicKeyInfo;
        _sign = sign;
    }

    /// <summary>DER SubjectPublicKeyInfo of the matching public key.</summary>
    public byte[] PublicKeyInfo { get; }

    /// <summary>The public key as PEM (what <c>cosign.pub</c> holds).</summary>
    public string PublicKeyPem => PemBlocks.Write("PUBLIC KEY", PublicKeyInfo);

    /// <summary>Signs <paramref name="data"/>.</summary>
    public byte[] Sign(byte[] data) => _sign(data);

    /// <summary>Wraps an ECDSA key (takes ownership).</summary>
    public static SigningKey FromEcdsa(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new SigningKey(key, key.ExportSubjectPublicKeyInfo(),
            data => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>Wraps an RSA key (takes ownership).</summary>
    public static SigningKey FromRsa(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new SigningKey(key, key.ExportSubjectPublicKeyInfo(),
            data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>
    /// Loads a key file: cosign's <c>ENCRYPTED SIGSTORE PRIVATE KEY</c> (or the older
    /// <c>ENCRYPTED COSIGN PRIVATE KEY</c>) with <paramref name="password"/>, or an unencrypted
    /// <c>PRIVATE KEY</c>, <c>EC PRIVATE KEY</c> or <c>RSA PRIVATE KEY</c>.
    /// </summary>
    /// <exception cref="FormatException">Not a supported key, or the password is wrong.</exception>
    public static SigningKey FromPem(string pem, string password)
    {
        foreach (var block in PemBlocks.Read(pem))
        {
            switch (block.Label)
            {
                case "ENCRYPTED SIGSTORE PRIVATE KEY" or "ENCRYPTED COSIGN PRIVATE KEY":
                    return FromPkcs8(CosignKeyFile.Decrypt(block.Der, Encoding.UTF8.GetBytes(password)));
                case "PRIVATE KEY":
                    return FromPkcs8(block.Der);
                case "EC PRIVATE KEY":
                    var ec = ECDsa.Create();
                    ec.ImportECPrivateKey(block.Der, out _);
                    return FromEcdsa(ec);
                case "RSA PRIVATE KEY":
                    var rsa = RSA.Create();
                    rsa.ImportRSAPrivateKey(block.Der, out _);
                    return FromRsa(rsa);
            }
        }
        throw new FormatException("no private key PEM block (cosign encrypted, PKCS#8, EC or RSA)");
    }

    /// <summary>Loads a DER PKCS#8 private key of any supported algorithm.</summary>
    public static SigningKey FromPkcs8(byte[] der)
    {
        string oid;
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            info.ReadInteger();
            oid = info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException ex)
        {
            throw new FormatException("not a PKCS#8 private key", ex);
        }
        try
        {
            if (oid == Ed25519Oid)
            {
                var seed = new AsnReader(new AsnReader(der, AsnEncodingRules.DER).ReadSequence().Skip(2).ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
                var key = new Ed25519PrivateKeyParameters(seed, 0);
                var spki = Ed25519PublicKeyInfo(key.GeneratePublicKey().GetEncoded());
                return new SigningKey(null, spki, data =>
                {
                    var signer = new Ed25519Signer();
                    signer.Init(true, key);
                    signer.BlockUpdate(data, 0, data.Length);
                    return signer.GenerateSignature();
                });
            }
            if (oid == "1.2.840.10045.2.1")
            {
                var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(der, out _);
                return FromEcdsa(ec);
            }
            if (oid == "1.2.840.113549.1.1.1")
            {
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                return FromRsa(rsa);
            }
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"the private key cannot be loaded: {ex.Message}", ex);
        }
        throw new FormatException($"unsupported private key algorithm {oid}");
    }

    /// <inheritdoc />
    public void Dispose() => _dotnetKey?.Dispose();

    private static byte[] Ed25519PublicKeyInfo(byte[] raw)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Ed25519Oid);
            }
            writer.WriteBitString(raw);
        }
        return writer.Encode();
    }
}

internal static class AsnReaderExtensions
{
    /// <summary>Skips <paramref name="count"/> elements and returns the reader.</summary>
    public static AsnReader Skip(this AsnReader reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            reader.ReadEncodedValue();
        }
        return reader;
    }
}
