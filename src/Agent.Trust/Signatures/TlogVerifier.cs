using System.Globalization;
using System.Text;
using System.Text.Json;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Signatures;

/// <summary>
/// Offline checks of a Rekor entry: the signed entry timestamp over the canonical entry, the
/// inclusion proof and checkpoint, and that the logged body is about this very signature.
/// </summary>
internal static class TlogVerifier
{
    /// <summary>Null when the entry is proven and describes the evidence; otherwise why not.</summary>
    public static string? Check(SignatureEvidence evidence, IReadOnlyList<VerificationKey> logKeys, byte[] signerMaterialDer)
    {
        var tlog = evidence.Tlog;
        if (tlog is null)
        {
            return "no transparency-log entry";
        }
        var logKey = logKeys.FirstOrDefault(k => k.Fingerprint == "sha256:" + tlog.LogIdHex);
        if (logKey is null)
        {
            return $"the entry is from log {tlog.LogIdHex}, which is not a configured Rekor key";
        }
        if (tlog.SignedEntryTimestamp is null && tlog.Proof is null)
        {
            return "the entry has neither a signed entry timestamp nor an inclusion proof";
        }
        if (tlog.SignedEntryTimestamp is not null && !logKey.Verify(CanonicalEntry(tlog), tlog.SignedEntryTimestamp))
        {
            return "the signed entry timestamp does not verify with the Rekor key";
        }
        if (tlog.Proof is not null)
        {
            var proofError = MerkleProof.Check(tlog.Proof, tlog.Body) ?? Checkpoint.Check(tlog.Proof, logKey, tlog.LogIdHex);
            if (proofError is not null)
            {
                return proofError;
            }
        }
        return BodyMatches(tlog.Body, evidence, signerMaterialDer);
    }

    /// <summary>RFC 8785 form of <c>{body, integratedTime, logID, logIndex}</c>: the bytes a SET signs.</summary>
    public static byte[] CanonicalEntry(TlogEvidence tlog)
    {
        // Every value is base64, hex or an integer, so no character needs escaping; refuse anything else.
        if (tlog.BodyBase64.AsSpan().IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") >= 0
            || tlog.LogIdHex.AsSpan().IndexOfAnyExcept("0123456789abcdef") >= 0)
        {
            throw new FormatException("a transparency-log entry holds characters outside base64/hex");
        }
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"body\":\"{tlog.BodyBase64}\",\"integratedTime\":{tlog.IntegratedTime},\"logID\":\"{tlog.LogIdHex}\",\"logIndex\":{tlog.LogIndex}}}"));
    }

    private static string? BodyMatches(byte[] body, SignatureEvidence evidence, byte[] signerMaterialDer)
    {
        HashedRekordEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(body, TrustJsonContext.Default.HashedRekordEntry);
        }
        catch (JsonException)
        {
            return "the logged entry is not JSON";
        }
        var payloadHash = evidence.LoggedPayloadSha256Hex();
        var signature = Convert.ToBase64String(evidence.Signature);
        switch (entry?.Kind)
        {
            case "hashedrekord":
                if (entry.Spec?.Data?.Hash?.Value != payloadHash)
                {
                    return "the logged entry is for another payload";
                }
                if (entry.Spec.Signature?.Content != signature)
                {
                    return "the logged entry is for another signature";
                }
                return SameMaterial(entry.Spec.Signature.PublicKey?.Content, signerMaterialDer)
                    ? null : "the logged entry names another key or certificate";
            case "dsse":
                if (entry.Spec?.PayloadHash?.Value != payloadHash)
                {
                    return "the logged entry is for another payload";
                }
                var match = entry.Spec.Signatures?.FirstOrDefault(s => s.Signature == signature);
                if (match is null)
                {
                    return "the logged entry is for another signature";
                }
                return SameMaterial(match.Verifier, signerMaterialDer) ? null : "the logged entry names another key or certificate";
            default:
                return $"the logged entry kind '{entry?.Kind}' is not supported";
        }
    }

    // Logged keys and certificates are base64 of a PEM block; compare the DER inside.
    private static bool SameMaterial(string? base64Pem, byte[] der)
    {
        if (string.IsNullOrEmpty(base64Pem))
        {
            return false;
        }
        try
        {
            var pem = Encoding.UTF8.GetString(Convert.FromBase64String(base64Pem));
            return PemBlocks.Read(pem).Any(block => block.Der.AsSpan().SequenceEqual(der));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
