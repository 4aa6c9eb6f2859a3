namespace UpdateAgent.Trust.Signatures;

/// <summary>
/// A Rekor entry as a signature carries it: the canonical body, the integration time and
/// index, the log's id, and a signed entry timestamp and/or an inclusion proof.
/// </summary>
internal sealed record TlogEvidence
{
    /// <summary>The entry body exactly as logged (decoded from base64).</summary>
    public required byte[] Body { get; init; }

    /// <summary>The same body as the base64 text the SET covers.</summary>
    public required string BodyBase64 { get; init; }

    /// <summary>UNIX seconds at which the log integrated the entry: the trusted signing time.</summary>
    public required long IntegratedTime { get; init; }

    /// <summary>The entry's global log index (the one the SET covers).</summary>
    public required long LogIndex { get; init; }

    /// <summary>Hex SHA-256 of the log key's SubjectPublicKeyInfo.</summary>
    public required string LogIdHex { get; init; }

    /// <summary>Signed entry timestamp (DER ECDSA), if present.</summary>
    public byte[]? SignedEntryTimestamp { get; init; }

    /// <summary>Merkle inclusion proof, if present.</summary>
    public InclusionProof? Proof { get; init; }

    /// <summary>The integration time as a date.</summary>
    public DateTimeOffset IntegratedAt => DateTimeOffset.FromUnixTimeSeconds(IntegratedTime);
}

/// <summary>An RFC 6962 inclusion proof with its signed checkpoint.</summary>
/// <param name="LogIndex">Index of the entry inside this tree.</param>
/// <param name="TreeSize">Size of the tree the proof is for.</param>
/// <param name="RootHash">Root hash of that tree.</param>
/// <param name="Hashes">Audit path, leaf to root.</param>
/// <param name="Checkpoint">Signed note text committing to tree size and root hash.</param>
internal sealed record InclusionProof(long LogIndex, long TreeSize, byte[] RootHash, IReadOnlyList<byte[]> Hashes, string? Checkpoint);
