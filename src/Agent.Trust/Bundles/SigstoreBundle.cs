using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using UpdateAgent.Trust.Json;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Bundles;

/// <summary>
/// Turns a sigstore bundle (v0.1 to v0.3) into signature evidence: for an image, DSSE around a
/// cosign in-toto statement; for an artifact, also a message signature over a blob.
/// </summary>
internal static class SigstoreBundle
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";
    public const string CosignSignPredicate = "https://sigstore.dev/cosign/sign/v1";

    private const string BundleV01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";

    // An artifact statement may name many subjects; more than this is not a release, it is a flood.
    private const int MaxSubjects = 1024;

    private static readonly HashSet<string> BundleMediaTypes = new(StringComparer.Ordinal)
    {
        "application/vnd.dev.sigstore.bundle.v0.3+json",
        "application/vnd.dev.sigstore.bundle+json;version=0.3",
        "application/vnd.dev.sigstore.bundle+json;version=0.2",
        BundleV01,
    };

    /// <summary>More timestamps than any signer asks for is an attack on our time.</summary>
    private const int MaxTimestamps = 4;

    public static SignatureEvidence ToEvidence(byte[] json, string origin) => ToEvidence(json, origin, null);

    /// <summary>
    /// Reads a bundle as evidence about an artifact that is not an image: a message signature over
    /// a blob, or a DSSE in-toto statement with any predicate whose subjects include
    /// <paramref name="artifactDigest"/>. Nothing in the bundle names a repository then.
    /// </summary>
    public static SignatureEvidence ToArtifactEvidence(byte[] json, string origin, string artifactDigest) => ToEvidence(json, origin, artifactDigest);

    private static SignatureEvidence ToEvidence(byte[] json, string origin, string? artifactDigest)
    {
        try
        {
            return Read(json, origin, artifactDigest);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or CryptographicException or OverflowException)
        {
            return ReferrerSignatureReader.Broken(origin, $"the bundle cannot be read: {ex.Message}");
        }
    }

    private static SignatureEvidence Read(byte[] json, string origin, string? artifactDigest)
    {
        var bundle = JsonSerializer.Deserialize(json, TrustJsonContext.Default.SigstoreBundleDocument)
            ?? throw new FormatException("the bundle is null");
        if (bundle.MediaType is null || !BundleMediaTypes.Contains(bundle.MediaType))
        {
            throw new FormatException($"unsupported bundle media type '{bundle.MediaType}'");
        }
        var signed = bundle.DsseEnvelope is { } envelope ? ReadEnvelope(envelope, origin, artifactDigest)
            : bundle.MessageSignature is { } message && artifactDigest is not null ? ReadMessageSignature(message, origin)
            : throw new FormatException(bundle.MessageSignature is null ? "the bundle has no DSSE envelope" : "message-signature bundles do not sign an image");
        var material = bundle.VerificationMaterial ?? throw new FormatException("the bundle has no verification material");
        var certificates = new List<X509Certificate2>();
        if (material.Certificate?.RawBytes is { } leaf)
        {
            certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(leaf)));
        }
        foreach (var entry in material.X509CertificateChain?.Certificates ?? [])
        {
            if (entry?.RawBytes is not null)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(entry.RawBytes)));
            }
        }
        var tlog = ReadTlog(material.TlogEntries);
        if (artifactDigest is not null && tlog is { Problem: null, Proof: null } && bundle.MediaType != BundleV01)
        {
            // From v0.2 on the bundle format requires the proof; only v0.1 may rest on a SET alone.
            // An image's bundle may still rest on its SET: the signed promise dates it as well.
            tlog = TlogEvidence.Malformed("a bundle from v0.2 on must carry an inclusion proof for its log entry");
        }
        return signed with
        {
            Certificate = certificates.FirstOrDefault(),
            Chain = certificates.Skip(1).ToList(),
            Tlog = tlog,
            Timestamps = ReadTimestamps(material.TimestampVerificationData),
        };
    }

    // An image signature is a cosign "sign" statement about exactly one digest; an artifact's
    // statement may carry any predicate and several subjects, one of which must be the artifact.
    private static SignatureEvidence ReadEnvelope(DsseEnvelopeDocument envelope, string origin, string? artifactDigest)
    {
        if (envelope.PayloadType != InTotoPayloadType || envelope.Payload is null)
        {
            throw new FormatException($"the DSSE payload type is '{envelope.PayloadType}', not in-toto");
        }
        var signatures = envelope.Signatures ?? [];
        if (signatures.Count != 1 || signatures[0]?.Sig is null)
        {
            throw new FormatException("the DSSE envelope must carry exactly one signature");
        }
        var body = Dsse.DecodeBase64(envelope.Payload);
        var statement = JsonSerializer.Deserialize(body, TrustJsonContext.Default.InTotoStatementDocument)
            ?? throw new FormatException("the statement is null");
        if (artifactDigest is null && statement.PredicateType != CosignSignPredicate)
        {
            throw new FormatException($"the statement's predicate is '{statement.PredicateType}', not a cosign signature");
        }
        var subjects = statement.Subject ?? [];
        if (artifactDigest is null ? subjects.Count != 1 : subjects.Count is < 1 or > MaxSubjects)
        {
            throw new FormatException(artifactDigest is null
                ? "the statement must have exactly one subject with a sha256 digest"
                : $"the statement must have 1 to {MaxSubjects} subjects");
        }
        var subject = subjects.FirstOrDefault(s => artifactDigest is not null && "sha256:" + s?.Digest?.GetValueOrDefault("sha256") == artifactDigest)
            ?? subjects[0];
        if (subject?.Digest?.GetValueOrDefault("sha256") is not { } hex)
        {
            throw new FormatException("the statement's subject has no sha256 digest");
        }
        if (subject.Annotations?.Any(a => a.Value is null) == true)
        {
            throw new FormatException("a subject annotation is null");
        }
        return new SignatureEvidence
        {
            Origin = origin,
            SignedBytes = Dsse.PreAuthenticationEncoding(envelope.PayloadType, body),
            LoggedPayload = body,
            Signature = Dsse.DecodeBase64(signatures[0]!.Sig!),
            ClaimedDigest = "sha256:" + hex,
            // cosign attest names the repository in the subject; cosign sign bundles name only the
            // digest. An artifact's subject name is a file name, not a repository.
            ClaimedRepository = artifactDigest is not null || string.IsNullOrEmpty(subject.Name) ? null : subject.Name,
            Annotations = subject.Annotations ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
    }

    // A message signature signs the blob itself; the bundle carries only the blob's digest, which
    // is what the signature is checked over and what the log entry must name.
    private static SignatureEvidence ReadMessageSignature(BundleMessageSignature message, string origin)
    {
        if (message.MessageDigest is not { Algorithm: "SHA2_256", Digest: { } digestBase64 })
        {
            throw new FormatException($"the message digest algorithm is '{message.MessageDigest?.Algorithm}', not SHA2_256");
        }
        var digest = Convert.FromBase64String(digestBase64);
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new FormatException("the message digest is not 32 bytes");
        }
        return new SignatureEvidence
        {
            Origin = origin,
            SignedBytes = [],
            SignedDigest = digest,
            LoggedPayload = [],
            Signature = Convert.FromBase64String(message.Signature ?? throw new FormatException("the message signature is missing")),
            ClaimedDigest = "sha256:" + Convert.ToHexStringLower(digest),
        };
    }

    // cosign writes one entry; more would be another signature's business, so only the first is read.
    private static TlogEvidence? ReadTlog(List<BundleTlogEntry?>? entries)
    {
        if (entries is null || entries.Count == 0)
        {
            return null;
        }
        try
        {
            return ReadTlog(entries[0] ?? throw new FormatException("the log entry is null"));
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            // A present but unreadable entry is refused by the log check (invalid-tlog), not ignored.
            return TlogEvidence.Malformed(ex.Message);
        }
    }

    private static TlogEvidence ReadTlog(BundleTlogEntry entry)
    {
        var bodyBase64 = entry.CanonicalizedBody ?? throw new FormatException("the log entry has no canonicalized body");
        var proof = entry.InclusionProof;
        return new TlogEvidence
        {
            Body = Convert.FromBase64String(bodyBase64),
            BodyBase64 = bodyBase64,
            // protobuf JSON omits a zero int64: Rekor v2 entries carry no integration time at all.
            IntegratedTime = entry.IntegratedTime is { } time ? Int64(time, "integratedTime") : null,
            LogIndex = Int64(entry.LogIndex ?? "0", "logIndex"),
            LogIdHex = Convert.ToHexStringLower(Convert.FromBase64String(entry.LogId?.KeyId ?? throw new FormatException("the log entry has no log id"))),
            SignedEntryTimestamp = entry.InclusionPromise?.SignedEntryTimestamp is { } set ? Convert.FromBase64String(set) : null,
            Proof = proof is null ? null : new InclusionProof(
                Int64(proof.LogIndex ?? "0", "inclusionProof.logIndex"),
                Int64(proof.TreeSize ?? "0", "inclusionProof.treeSize"),
                Convert.FromBase64String(proof.RootHash ?? string.Empty),
                (proof.Hashes ?? []).Select(h => Convert.FromBase64String(h ?? throw new FormatException("an inclusion-proof hash is null"))).ToList(),
                proof.Checkpoint?.Envelope),
        };
    }

    private static long Int64(string text, string field) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value : throw new FormatException($"{field} '{Clip(text)}' is not a 64-bit integer");

    private static string Clip(string text) => text.Length <= 24 ? text : text[..24] + "…";

    private static List<byte[]> ReadTimestamps(BundleTimestampData? data)
    {
        var timestamps = new List<byte[]>();
        foreach (var timestamp in data?.Rfc3161Timestamps ?? [])
        {
            if (timestamp?.SignedTimestamp is not { } der)
            {
                throw new FormatException("an RFC 3161 timestamp is null");
            }
            if (timestamps.Count == MaxTimestamps)
            {
                throw new FormatException($"more than {MaxTimestamps} RFC 3161 timestamps");
            }
            timestamps.Add(Convert.FromBase64String(der));
        }
        return timestamps;
    }
}
