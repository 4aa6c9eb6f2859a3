using System.Text.Json.Serialization;

namespace UpdateAgent.Trust.Json;

// Wire shapes of cosign's Rekor bundle annotation, the sigstore bundle v0.3 (protobuf JSON
// mapping: camelCase, bytes as base64, int64 as strings), DSSE and in-toto.

internal sealed class RekorBundleDocument
{
    [JsonPropertyName("SignedEntryTimestamp")] public string? SignedEntryTimestamp { get; set; }
    [JsonPropertyName("Payload")] public RekorBundlePayload? Payload { get; set; }
}

internal sealed class RekorBundlePayload
{
    [JsonPropertyName("body")] public string? Body { get; set; }
    [JsonPropertyName("integratedTime")] public long IntegratedTime { get; set; }
    [JsonPropertyName("logIndex")] public long LogIndex { get; set; }
    [JsonPropertyName("logID")] public string? LogId { get; set; }
}

internal sealed class HashedRekordEntry
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("spec")] public HashedRekordSpec? Spec { get; set; }
}

internal sealed class HashedRekordSpec
{
    [JsonPropertyName("data")] public HashedRekordData? Data { get; set; }
    [JsonPropertyName("signature")] public HashedRekordSignature? Signature { get; set; }
    // dsse v0.0.1 entries
    [JsonPropertyName("payloadHash")] public RekorHash? PayloadHash { get; set; }
    [JsonPropertyName("signatures")] public List<RekorDsseSignature?>? Signatures { get; set; }
    // intoto v0.0.2 entries (older cosign attestations)
    [JsonPropertyName("content")] public IntotoContent? Content { get; set; }
    // Rekor v2 entries: the spec is a protobuf oneof, named by its type
    [JsonPropertyName("hashedRekordV002")] public RekorV2HashedRekord? HashedRekordV002 { get; set; }
    [JsonPropertyName("dsseV002")] public RekorV2Dsse? DsseV002 { get; set; }
}

internal sealed class IntotoContent
{
    [JsonPropertyName("envelope")] public IntotoEnvelope? Envelope { get; set; }
    [JsonPropertyName("payloadHash")] public RekorHash? PayloadHash { get; set; }
}

internal sealed class IntotoEnvelope
{
    [JsonPropertyName("payloadType")] public string? PayloadType { get; set; }
    [JsonPropertyName("signatures")] public List<IntotoSignature?>? Signatures { get; set; }
}

internal sealed class IntotoSignature
{
    // base64 of the envelope's (base64) signature text, and base64 of the verifier's PEM
    [JsonPropertyName("sig")] public string? Sig { get; set; }
    [JsonPropertyName("publicKey")] public string? PublicKey { get; set; }
}

internal sealed class RekorV2HashedRekord
{
    [JsonPropertyName("data")] public RekorV2Hash? Data { get; set; }
    [JsonPropertyName("signature")] public RekorV2Signature? Signature { get; set; }
}

internal sealed class RekorV2Dsse
{
    [JsonPropertyName("payloadHash")] public RekorV2Hash? PayloadHash { get; set; }
    [JsonPropertyName("signatures")] public List<RekorV2Signature?>? Signatures { get; set; }
}

internal sealed class RekorV2Hash
{
    [JsonPropertyName("algorithm")] public string? Algorithm { get; set; }
    [JsonPropertyName("digest")] public string? Digest { get; set; }
}

internal sealed class RekorV2Signature
{
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("verifier")] public RekorV2Verifier? Verifier { get; set; }
}

internal sealed class RekorV2Verifier
{
    [JsonPropertyName("publicKey")] public BundleRawBytes? PublicKey { get; set; }
    [JsonPropertyName("x509Certificate")] public BundleRawBytes? X509Certificate { get; set; }
}

internal sealed class HashedRekordData
{
    [JsonPropertyName("hash")] public RekorHash? Hash { get; set; }
}

internal sealed class RekorHash
{
    [JsonPropertyName("algorithm")] public string? Algorithm { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

internal sealed class HashedRekordSignature
{
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("publicKey")] public RekorPublicKey? PublicKey { get; set; }
}

internal sealed class RekorPublicKey
{
    [JsonPropertyName("content")] public string? Content { get; set; }
}

internal sealed class RekorDsseSignature
{
    [JsonPropertyName("signature")] public string? Signature { get; set; }
    [JsonPropertyName("verifier")] public string? Verifier { get; set; }
}

internal sealed class SigstoreBundleDocument
{
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("verificationMaterial")] public BundleVerificationMaterial? VerificationMaterial { get; set; }
    [JsonPropertyName("dsseEnvelope")] public DsseEnvelopeDocument? DsseEnvelope { get; set; }
    [JsonPropertyName("messageSignature")] public BundleMessageSignature? MessageSignature { get; set; }
}

internal sealed class BundleMessageSignature
{
    [JsonPropertyName("messageDigest")] public BundleMessageDigest? MessageDigest { get; set; }
    [JsonPropertyName("signature")] public string? Signature { get; set; }
}

internal sealed class BundleMessageDigest
{
    [JsonPropertyName("algorithm")] public string? Algorithm { get; set; }
    [JsonPropertyName("digest")] public string? Digest { get; set; }
}

internal sealed class BundleVerificationMaterial
{
    [JsonPropertyName("certificate")] public BundleRawBytes? Certificate { get; set; }
    [JsonPropertyName("x509CertificateChain")] public BundleCertificateChain? X509CertificateChain { get; set; }
    [JsonPropertyName("publicKey")] public BundlePublicKeyHint? PublicKey { get; set; }
    [JsonPropertyName("tlogEntries")] public List<BundleTlogEntry?>? TlogEntries { get; set; }
    [JsonPropertyName("timestampVerificationData")] public BundleTimestampData? TimestampVerificationData { get; set; }
}

internal sealed class BundleTimestampData
{
    [JsonPropertyName("rfc3161Timestamps")] public List<BundleSignedTimestamp?>? Rfc3161Timestamps { get; set; }
}

internal sealed class BundleSignedTimestamp
{
    // DER TimeStampResp (RFC 3161 section 2.4.2), base64
    [JsonPropertyName("signedTimestamp")] public string? SignedTimestamp { get; set; }
}

internal sealed class BundleRawBytes
{
    [JsonPropertyName("rawBytes")] public string? RawBytes { get; set; }
}

internal sealed class BundleCertificateChain
{
    [JsonPropertyName("certificates")] public List<BundleRawBytes>? Certificates { get; set; }
}

internal sealed class BundlePublicKeyHint
{
    [JsonPropertyName("hint")] public string? Hint { get; set; }
}

internal sealed class BundleTlogEntry
{
    [JsonPropertyName("logIndex")] public string? LogIndex { get; set; }
    [JsonPropertyName("logId")] public BundleLogId? LogId { get; set; }
    [JsonPropertyName("kindVersion")] public BundleKindVersion? KindVersion { get; set; }
    [JsonPropertyName("integratedTime")] public string? IntegratedTime { get; set; }
    [JsonPropertyName("inclusionPromise")] public BundleInclusionPromise? InclusionPromise { get; set; }
    [JsonPropertyName("inclusionProof")] public BundleInclusionProof? InclusionProof { get; set; }
    [JsonPropertyName("canonicalizedBody")] public string? CanonicalizedBody { get; set; }
}

internal sealed class BundleLogId
{
    [JsonPropertyName("keyId")] public string? KeyId { get; set; }
}

internal sealed class BundleKindVersion
{
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("version")] public string? Version { get; set; }
}

internal sealed class BundleInclusionPromise
{
    [JsonPropertyName("signedEntryTimestamp")] public string? SignedEntryTimestamp { get; set; }
}

internal sealed class BundleInclusionProof
{
    [JsonPropertyName("logIndex")] public string? LogIndex { get; set; }
    [JsonPropertyName("rootHash")] public string? RootHash { get; set; }
    [JsonPropertyName("treeSize")] public string? TreeSize { get; set; }
    [JsonPropertyName("hashes")] public List<string?>? Hashes { get; set; }
    [JsonPropertyName("checkpoint")] public BundleCheckpoint? Checkpoint { get; set; }
}

internal sealed class BundleCheckpoint
{
    [JsonPropertyName("envelope")] public string? Envelope { get; set; }
}

internal sealed class DsseEnvelopeDocument
{
    [JsonPropertyName("payload")] public string? Payload { get; set; }
    [JsonPropertyName("payloadType")] public string? PayloadType { get; set; }
    [JsonPropertyName("signatures")] public List<DsseSignatureDocument>? Signatures { get; set; }
}

internal sealed class DsseSignatureDocument
{
    [JsonPropertyName("keyid")] public string? KeyId { get; set; }
    [JsonPropertyName("sig")] public string? Sig { get; set; }
}

internal sealed class InTotoStatementDocument
{
    [JsonPropertyName("_type")] public string? Type { get; set; }
    [JsonPropertyName("subject")] public List<InTotoSubject>? Subject { get; set; }
    [JsonPropertyName("predicateType")] public string? PredicateType { get; set; }
}

internal sealed class InTotoSubject
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("digest")] public Dictionary<string, string>? Digest { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}
