namespace UpdateAgent.Trust.Signatures;

/// <summary>
/// A Rekor entry as a signature carries it: the canonical body, the integration time and
/// index, the log's id, and a signed entry timestamp and/or an inclusion proof.
/// </summary>
internal sealed record TlogEvidence
{
    /// <summary>Largest UNIX time a date can hold (9999-12-31T23:59:59Z); later values are malformed, not far future.</summary>
    public const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>The entry body exactly as logged (decoded from base64).</summary>
    public required byte[] Body { get; init; }

    /// <summary>The same body as the base64 text the SET covers.</summary>
    public required string BodyBase64 { get; init; }

    /// <summary>
    /// UNIX seconds at which the log says it integrated the entry, or null (Rekor v2 has none).
    /// Trusted only when a signed entry timestamp covers it: the proof and checkpoint do not.
    /// </summary>
    public long? IntegratedTime { get; init; }

    /// <summary>The entry's global log index (the one the SET covers).</summary>
    public required long LogIndex { get; init; }

    /// <summary>Lower-case hex log ID: SHA-256 of the log key's SubjectPublicKeyInfo (v1), or the signed-note key ID (v2).</summary>
    public required string LogIdHex { get; init; }

    /// <summary>Signed entry timestamp (DER ECDSA), if present.</summary>
    public byte[]? SignedEntryTimestamp { get; init; }

    /// <summary>Merkle inclusion proof, if present.</summary>
    public InclusionProof? Proof { get; init; }

    /// <summary>Why the entry could not be read, when it could not; such an entry never verifies.</summary>
    public string? Problem { get; init; }

    /// <summary>An entry that was present but unreadable (bad base64, numbers out of range, wrong types).</summary>
    public static TlogEvidence Malformed(string why) => new() { Body = [], BodyBase64 = string.Empty, LogIndex = -1, LogIdHex = string.Empty, Problem = why };

    /// <summary>Null when every number is in range; otherwise why not (checked before any number is used as a date or index).</summary>
    public string? RangeProblem()
    {
        if (IntegratedTime is < 0 or > MaxUnixSeconds)
        {
            return $"integratedTime {IntegratedTime} is not a time";
        }
        if (LogIndex < 0)
        {
            return $"logIndex {LogIndex} is negative";
        }
        if (Proof is { } proof && (proof.LogIndex < 0 || proof.TreeSize < 1 || proof.Hashes.Count > 64))
        {
            return $"the inclusion proof (index {proof.LogIndex}, tree size {proof.TreeSize}, {proof.Hashes.Count} hashes) is out of range";
        }
        return null;
    }
}

/// <summary>An RFC 6962 inclusion proof with its signed checkpoint.</summary>
/// <param name="LogIndex">Index of the entry inside this tree.</param>
/// <param name="TreeSize">Size of the tree the proof is for.</param>
/// <param name="RootHash">Root hash of that tree.</param>
/// <param name="Hashes">Audit path, leaf to root.</param>
/// <param name="Checkpoint">Signed note text committing to tree size and root hash.</param>
internal sealed record InclusionProof(long LogIndex, long TreeSize, byte[] RootHash, IReadOnlyList<byte[]> Hashes, string? Checkpoint);
