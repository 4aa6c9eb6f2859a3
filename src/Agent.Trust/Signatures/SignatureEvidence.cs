using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace UpdateAgent.Trust.Signatures;

/// <summary>
/// One signature found for an image, in a form that does not depend on where it was stored
/// (a <c>.sig</c> layer or a sigstore bundle): what was signed, the signature, the material
/// that identifies the signer, and the claims the signed bytes make.
/// </summary>
internal sealed record SignatureEvidence
{
    /// <summary>Where it was found, for messages: e.g. <c>sha256-….sig layer 2</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The exact bytes the signature covers (payload, or DSSE pre-authentication encoding).</summary>
    public required byte[] SignedBytes { get; init; }

    /// <summary>
    /// SHA-256 of the signed message when the signature is over a message known only by its
    /// digest (a bundle's message signature over a blob); <see cref="SignedBytes"/> and
    /// <see cref="LoggedPayload"/> are then empty.
    /// </summary>
    public byte[]? SignedDigest { get; init; }

    /// <summary>The raw signature.</summary>
    public required byte[] Signature { get; init; }

    /// <summary>The bytes a transparency-log entry hashes as "the payload" (payload, or DSSE body).</summary>
    public required byte[] LoggedPayload { get; init; }

    /// <summary>Signing certificate (keyless or certificate-based).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Intermediates (and possibly a root) shipped with the signature.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; init; } = [];

    /// <summary>Transparency-log proof, if any.</summary>
    public TlogEvidence? Tlog { get; init; }

    /// <summary>RFC 3161 timestamp responses (DER) over <see cref="Signature"/>, as a sigstore bundle carries them.</summary>
    public IReadOnlyList<byte[]> Timestamps { get; init; } = [];

    /// <summary>The digest the signed claims name (payload digest or statement subject).</summary>
    public string? ClaimedDigest { get; init; }

    /// <summary>The repository the signed claims name; null when the format carries none (bundles).</summary>
    public string? ClaimedRepository { get; init; }

    /// <summary>Annotations inside the signed bytes.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Why the signed bytes cannot be understood (set when parsing failed); such evidence never verifies.</summary>
    public string? PayloadError { get; init; }

    /// <summary>Whether the signature verifies with <paramref name="key"/> over what was signed.</summary>
    public bool IsSignedBy(VerificationKey key) =>
        SignedDigest is null ? key.Verify(SignedBytes, Signature) : key.VerifyDigest(SignedDigest, Signature);

    /// <summary>
    /// The hash of what the signature covers, as a <c>hashedrekord</c> entry names it (the payload,
    /// a DSSE pre-authentication encoding, or a blob); null when it cannot be known (a blob known only
    /// by its SHA-256, asked for another hash).
    /// </summary>
    public byte[]? SignedHash(HashAlgorithmName algorithm) =>
        SignedDigest is not null ? (algorithm == HashAlgorithmName.SHA256 ? SignedDigest : null) : Hash(algorithm, SignedBytes);

    /// <summary>The hash of the payload as a <c>dsse</c> or <c>intoto</c> entry names it; null for a blob's message signature, which has none.</summary>
    public byte[]? LoggedPayloadHash(HashAlgorithmName algorithm) => SignedDigest is not null ? null : Hash(algorithm, LoggedPayload);

    private static byte[]? Hash(HashAlgorithmName algorithm, byte[] data) =>
        algorithm == HashAlgorithmName.SHA256 ? SHA256.HashData(data)
        : algorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(data)
        : algorithm == HashAlgorithmName.SHA512 ? SHA512.HashData(data)
        : null;
}
