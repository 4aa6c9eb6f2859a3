using System.Text.Json.Serialization;

namespace UpdateAgent.Trust.Json;

// Wire shape of Sigstore's TrustedRoot (protobuf JSON mapping: camelCase, bytes as base64,
// timestamps as RFC 3339 strings). Lists default to empty so that an absent list reads as
// empty while an explicit JSON null stays visible (null) and can be refused by name.

internal sealed class TrustedRootDocument
{
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("tlogs")] public List<TrustedRootLog?>? Tlogs { get; set; } = [];
    [JsonPropertyName("certificateAuthorities")] public List<TrustedRootAuthority?>? CertificateAuthorities { get; set; } = [];
    [JsonPropertyName("ctlogs")] public List<TrustedRootLog?>? Ctlogs { get; set; } = [];
    [JsonPropertyName("timestampAuthorities")] public List<TrustedRootAuthority?>? TimestampAuthorities { get; set; } = [];
}

internal sealed class TrustedRootLog
{
    [JsonPropertyName("baseUrl")] public string? BaseUrl { get; set; }
    [JsonPropertyName("hashAlgorithm")] public string? HashAlgorithm { get; set; }
    [JsonPropertyName("publicKey")] public TrustedRootPublicKey? PublicKey { get; set; }
    [JsonPropertyName("logId")] public TrustedRootLogId? LogId { get; set; }
}

internal sealed class TrustedRootPublicKey
{
    [JsonPropertyName("rawBytes")] public string? RawBytes { get; set; }
    [JsonPropertyName("keyDetails")] public string? KeyDetails { get; set; }
    [JsonPropertyName("validFor")] public TrustedRootWindow? ValidFor { get; set; }
}

internal sealed class TrustedRootLogId
{
    [JsonPropertyName("keyId")] public string? KeyId { get; set; }
}

internal sealed class TrustedRootWindow
{
    [JsonPropertyName("start")] public string? Start { get; set; }
    [JsonPropertyName("end")] public string? End { get; set; }
}

internal sealed class TrustedRootAuthority
{
    [JsonPropertyName("subject")] public TrustedRootSubject? Subject { get; set; }
    [JsonPropertyName("uri")] public string? Uri { get; set; }
    [JsonPropertyName("certChain")] public TrustedRootCertChain? CertChain { get; set; }
    [JsonPropertyName("validFor")] public TrustedRootWindow? ValidFor { get; set; }
}

internal sealed class TrustedRootSubject
{
    [JsonPropertyName("organization")] public string? Organization { get; set; }
    [JsonPropertyName("commonName")] public string? CommonName { get; set; }
}

internal sealed class TrustedRootCertChain
{
    [JsonPropertyName("certificates")] public List<TrustedRootRawBytes?>? Certificates { get; set; } = [];
}

internal sealed class TrustedRootRawBytes
{
    [JsonPropertyName("rawBytes")] public string? RawBytes { get; set; }
}
