using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Tests.Signatures;

/// <summary>A signature over a blob checked from the blob's SHA-256 alone, as a bundle's message signature is.</summary>
public sealed class DigestSignatureTests
{
    private static readonly byte[] Blob = "a released file\n"u8.ToArray();

    [Fact]
    public void ECDSA_and_RSA_signatures_over_the_blob_verify_from_its_digest_only()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var ecKey = VerificationKey.FromSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo());
        var rsaKey = VerificationKey.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo());
        var digest = SHA256.HashData(Blob);

        Assert.True(ecKey.VerifyDigest(digest, ec.SignData(Blob, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.True(rsaKey.VerifyDigest(digest, rsa.SignData(Blob, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        Assert.True(rsaKey.VerifyDigest(digest, rsa.SignData(Blob, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)));
        Assert.False(ecKey.VerifyDigest(SHA256.HashData("another blob"u8), ec.SignData(Blob, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
    }

    [Fact]
    public void A_digest_of_the_wrong_length_or_a_garbage_signature_is_false_not_an_exception()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = VerificationKey.FromSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo());

        Assert.False(key.VerifyDigest(new byte[20], ec.SignData(Blob, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.False(key.VerifyDigest(SHA256.HashData(Blob), [0x30, 0x02, 0x01]));
    }

    [Fact]
    public void Pure_Ed25519_signs_the_blob_itself_so_a_digest_never_verifies()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var signer = new Ed25519Signer();
        signer.Init(true, pair.Private);
        signer.BlockUpdate(Blob, 0, Blob.Length);
        var signature = signer.GenerateSignature();
        var spki = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
        var key = VerificationKey.FromSubjectPublicKeyInfo(spki);

        Assert.True(key.Verify(Blob, signature));
        Assert.False(key.VerifyDigest(SHA256.HashData(Blob), signature));
    }
}
