using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>
/// A throwaway Rekor v2 (tiles) log: an Ed25519 key that signs checkpoints as a C2SP signed note,
/// named by its origin; its log ID is the note key ID.
/// </summary>
internal sealed class RekorV2TestLog
{
    private readonly Ed25519PrivateKeyParameters _key = new(new SecureRandom());

    public RekorV2TestLog(string origin = "log2025-1.rekor.test") => Origin = origin;

    public string Origin { get; }

    public byte[] RawPublicKey => _key.GeneratePublicKey().GetEncoded();

    /// <summary>DER SubjectPublicKeyInfo of the log key.</summary>
    public byte[] SubjectPublicKeyInfo =>
        Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(_key.GeneratePublicKey()).GetDerEncoded();

    /// <summary>sha256(origin ‖ "\n" ‖ 0x01 ‖ raw key), as the trust root names a v2 log.</summary>
    public string LogIdHex => Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(Origin + "\n"), 0x01, .. RawPublicKey]));

    /// <summary>The log as a trust root lists it, with its origin and a window.</summary>
    public LogKey AsLogKey(ValidityWindow window = default) =>
        new(VerificationKey.FromSubjectPublicKeyInfo(SubjectPublicKeyInfo), LogIdHex, window, Origin, "https://" + Origin);

    public byte[] Sign(byte[] note)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        signer.BlockUpdate(note, 0, note.Length);
        return signer.GenerateSignature();
    }

    /// <summary>A <c>dsse</c> 0.0.2 entry body as Rekor v2 logs it (protobuf JSON: bytes as base64, enums by name).</summary>
    public static byte[] DsseV002(byte[] statement, byte[] signature, X509Certificate2 leaf) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "0.0.2",
        ["kind"] = "dsse",
        ["spec"] = new JsonObject
        {
            ["dsseV002"] = new JsonObject
            {
                ["payloadHash"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(SHA256.HashData(statement)) },
                ["signatures"] = new JsonArray(new JsonObject
                {
                    ["content"] = Convert.ToBase64String(signature),
                    ["verifier"] = new JsonObject
                    {
                        ["x509Certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(leaf.RawData) },
                        ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256",
                    },
                }),
            },
        },
    }.ToJsonString());

    /// <summary>A <c>hashedrekord</c> 0.0.2 entry body over <paramref name="payload"/>.</summary>
    public static byte[] HashedRekordV002(byte[] payload, byte[] signature, X509Certificate2 leaf) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "0.0.2",
        ["kind"] = "hashedrekord",
        ["spec"] = new JsonObject
        {
            ["hashedRekordV002"] = new JsonObject
            {
                ["data"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(SHA256.HashData(payload)) },
                ["signature"] = new JsonObject
                {
                    ["content"] = Convert.ToBase64String(signature),
                    ["verifier"] = new JsonObject
                    {
                        ["x509Certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(leaf.RawData) },
                        ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256",
                    },
                },
            },
        },
    }.ToJsonString());
}
