using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Signatures;

/// <summary>
/// Whether a logged Rekor entry body is about this very signature: same payload hash, same
/// signature bytes, same key or certificate. Knows <c>hashedrekord</c> and <c>dsse</c> 0.0.1
/// (Rekor v1), <c>intoto</c> 0.0.2 (older cosign attestations, v1) and <c>hashedrekord</c> /
/// <c>dsse</c> 0.0.2 (Rekor v2).
/// </summary>
internal static class RekorEntryMatcher
{
    private const string AnotherPayload = "the logged entry is for another payload";
    private const string AnotherSignature = "the logged entry is for another signature";
    private const string AnotherSigner = "the logged entry names another key or certificate";

    /// <summary>Null when the body describes the evidence signed with <paramref name="signerDer"/>; otherwise why not.</summary>
    public static string? Check(byte[] body, SignatureEvidence evidence, byte[] signerDer)
    {
        HashedRekordEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(body, TrustJsonContext.Default.HashedRekordEntry);
        }
        catch (JsonException)
        {
            return "the logged entry is not JSON of a known shape";
        }
        var spec = entry?.Spec;
        if (spec is null)
        {
            return "the logged entry has no spec";
        }
        return (entry!.Kind, entry.ApiVersion) switch
        {
            ("hashedrekord", "0.0.1") => HashedRekordV001(spec, evidence, signerDer),
            ("dsse", "0.0.1") => DsseV001(spec, evidence, signerDer),
            ("intoto", "0.0.2") => IntotoV002(spec, evidence, signerDer),
            // Rekor v2 may log a DSSE signature as a hashedrekord over its pre-authentication encoding.
            ("hashedrekord", "0.0.2") => spec.HashedRekordV002 is { } h
                ? V2(h.Data, evidence.SignedHash, h.Signature is null ? [] : [h.Signature], evidence, signerDer) : "the hashedrekord 0.0.2 entry has no spec",
            ("dsse", "0.0.2") => spec.DsseV002 is { } d
                ? V2(d.PayloadHash, evidence.LoggedPayloadHash, d.Signatures ?? [], evidence, signerDer) : "the dsse 0.0.2 entry has no spec",
            _ => $"the logged entry kind '{entry.Kind}' version '{entry.ApiVersion}' is not supported",
        };
    }

    private static string? HashedRekordV001(HashedRekordSpec spec, SignatureEvidence evidence, byte[] signerDer)
    {
        if (!HexHashMatches(spec.Data?.Hash, evidence.SignedHash(HashAlgorithmName.SHA256)))
        {
            return AnotherPayload;
        }
        if (!SameBase64(spec.Signature?.Content, evidence.Signature))
        {
            return AnotherSignature;
        }
        return PemHolds(spec.Signature!.PublicKey?.Content, signerDer) ? null : AnotherSigner;
    }

    private static string? DsseV001(HashedRekordSpec spec, SignatureEvidence evidence, byte[] signerDer)
    {
        if (!HexHashMatches(spec.PayloadHash, evidence.LoggedPayloadHash(HashAlgorithmName.SHA256)))
        {
            return AnotherPayload;
        }
        var match = (spec.Signatures ?? []).FirstOrDefault(s => SameBase64(s?.Signature, evidence.Signature));
        if (match is null)
        {
            return AnotherSignature;
        }
        return PemHolds(match.Verifier, signerDer) ? null : AnotherSigner;
    }

    private static string? IntotoV002(HashedRekordSpec spec, SignatureEvidence evidence, byte[] signerDer)
    {
        if (!HexHashMatches(spec.Content?.PayloadHash, evidence.LoggedPayloadHash(HashAlgorithmName.SHA256)))
        {
            return AnotherPayload;
        }
        // intoto 0.0.2 logs the envelope's signature text base64-encoded once more.
        var match = (spec.Content!.Envelope?.Signatures ?? []).FirstOrDefault(s => Base64Text.TryDecode(s?.Sig, out var inner)
            && SameBase64(Encoding.UTF8.GetString(inner), evidence.Signature));
        if (match is null)
        {
            return AnotherSignature;
        }
        return PemHolds(match.PublicKey, signerDer) ? null : AnotherSigner;
    }

    private static string? V2(RekorV2Hash? hash, Func<HashAlgorithmName, byte[]?> hashOf, IReadOnlyList<RekorV2Signature?> signatures, SignatureEvidence evidence, byte[] signerDer)
    {
        var expected = hash?.Algorithm switch
        {
            "SHA2_256" => hashOf(HashAlgorithmName.SHA256),
            "SHA2_384" => hashOf(HashAlgorithmName.SHA384),
            "SHA2_512" => hashOf(HashAlgorithmName.SHA512),
            _ => null,
        };
        if (expected is null || !SameBase64(hash!.Digest, expected))
        {
            return AnotherPayload;
        }
        var match = signatures.FirstOrDefault(s => SameBase64(s?.Content, evidence.Signature));
        if (match is null)
        {
            return AnotherSignature;
        }
        var verifier = match.Verifier;
        return SameBase64(verifier?.X509Certificate?.RawBytes, signerDer) || SameBase64(verifier?.PublicKey?.RawBytes, signerDer) ? null : AnotherSigner;
    }

    private static bool HexHashMatches(RekorHash? hash, byte[]? expected) =>
        hash is { Algorithm: "sha256", Value: { } value } && expected is not null
        && string.Equals(value, Convert.ToHexStringLower(expected), StringComparison.OrdinalIgnoreCase);

    private static bool SameBase64(string? base64, byte[] expected) =>
        Base64Text.TryDecode(base64, out var bytes) && bytes.AsSpan().SequenceEqual(expected);

    // Logged keys and certificates are base64 of a PEM block; compare the DER inside.
    private static bool PemHolds(string? base64Pem, byte[] der)
    {
        if (!Base64Text.TryDecode(base64Pem, out var pem))
        {
            return false;
        }
        try
        {
            return PemBlocks.Read(Encoding.UTF8.GetString(pem)).Any(block => block.Der.AsSpan().SequenceEqual(der));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
