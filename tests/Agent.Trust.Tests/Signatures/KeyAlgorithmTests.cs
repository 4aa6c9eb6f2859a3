using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Signing;

namespace UpdateAgent.Trust.Tests.Signatures;

public sealed class KeyAlgorithmTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"critical\":{}}");

    [Theory]
    [InlineData("nistP256")]
    [InlineData("nistP384")]
    [InlineData("nistP521")]
    public void Ecdsa_signatures_verify_with_sha256_and_with_the_curve_hash(string curve)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        var verifier = VerificationKey.FromPem(key.ExportSubjectPublicKeyInfoPem());

        Assert.True(verifier.Verify(Payload, key.SignData(Payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.False(verifier.Verify(Encoding.UTF8.GetBytes("other"), key.SignData(Payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
    }

    [Fact]
    public void Rsa_pkcs1_and_pss_signatures_verify()
    {
        using var key = RSA.Create(3072);
        var verifier = VerificationKey.FromPem(key.ExportSubjectPublicKeyInfoPem());

        Assert.Equal("rsa-3072", verifier.Algorithm);
        Assert.True(verifier.Verify(Payload, key.SignData(Payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        Assert.True(verifier.Verify(Payload, key.SignData(Payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)));
    }

    [Fact]
    public void Ed25519_pure_and_prehashed_signatures_verify()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var spki = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
        var verifier = VerificationKey.FromSubjectPublicKeyInfo(spki);

        var pure = new Ed25519Signer();
        pure.Init(true, pair.Private);
        pure.BlockUpdate(Payload, 0, Payload.Length);
        var prehashed = new Ed25519phSigner([]);
        prehashed.Init(true, pair.Private);
        prehashed.BlockUpdate(Payload, 0, Payload.Length);

        Assert.Equal("ed25519", verifier.Algorithm);
        Assert.True(verifier.Verify(Payload, pure.GenerateSignature()));
        Assert.True(verifier.Verify(Payload, prehashed.GenerateSignature()));
        Assert.False(verifier.Verify(Payload, new byte[64]));
    }

    [Fact]
    public void Cosign_encrypted_key_file_decrypts_and_matches_its_public_key()
    {
        var pem = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cosign.key"));
        var publicPem = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cosign.pub"));

        using var key = SigningKey.FromPem(pem, password: string.Empty);

        Assert.True(VerificationKey.FromPem(publicPem).Verify(Payload, key.Sign(Payload)));
        Assert.Contains("password", Assert.Throws<FormatException>(() => SigningKey.FromPem(pem, "wrong")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_or_garbled_keys_are_format_errors()
    {
        Assert.Throws<FormatException>(() => VerificationKey.FromPem("no pem here"));
        Assert.Throws<FormatException>(() => VerificationKey.FromSubjectPublicKeyInfo([0x30, 0x03, 0x02, 0x01, 0x01]));
        using var dsa = DSA.Create(2048);
        Assert.Throws<FormatException>(() => VerificationKey.FromSubjectPublicKeyInfo(dsa.ExportSubjectPublicKeyInfo()));
    }

    // Found by bench/fuzz (trusted-root): a P-256 key whose curve OID had one byte changed made
    // the platform throw PlatformNotSupportedException, and an Ed25519 key body that is no BIT
    // STRING made the ASN.1 reader throw; both escaped the documented FormatException.
    [Theory]
    [InlineData("MFkwEwYHKoZIzj0CAQYIKoZZzj0DAQcDQgAE83uT/8ditdlvSa+NXjXTiUuvgZ1fJGFGJX3/pBLFmc6soRr+ifFWbbK4zMBwfYLPaWolxmCglkNsg1e4j066yQ==")]
    [InlineData("MAowBQYDK2VwAgEF")]
    public void A_key_the_platform_cannot_load_is_a_format_error(string spkiBase64)
    {
        var ex = Assert.Throws<FormatException>(() => VerificationKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(spkiBase64)));
        Assert.Contains("cannot be loaded", ex.Message, StringComparison.Ordinal);
    }
}
