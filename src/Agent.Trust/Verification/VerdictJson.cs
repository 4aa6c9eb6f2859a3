using System.Text.Json;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Verification;

/// <summary>The JSON form of a verdict (source-generated, AOT-safe): what <c>verify --json</c> prints.</summary>
public static class VerdictJson
{
    /// <summary>Serializes <paramref name="verdict"/> as indented JSON with lower-case outcome and stable member names.</summary>
    public static string Serialize(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var document = new VerdictDocument
        {
            Image = verdict.Image,
            Outcome = verdict.Outcome.ToString().ToLowerInvariant(),
            Reasons = verdict.Reasons.Select(r => new ReasonDocument { Code = r.Code, Message = r.Message }).ToList(),
            Signers = verdict.Signers.Select(s => new SignerDocument
            {
                Authority = s.Authority, Identity = s.Identity, Issuer = s.Issuer, Origin = s.Origin, SignedAt = s.SignedAt,
            }).ToList(),
            SignedAnnotations = new SortedDictionary<string, string>(verdict.SignedAnnotations.ToDictionary(), StringComparer.Ordinal),
            Digest = verdict.Facts?.Digest,
            PlatformDigest = verdict.Facts?.PlatformDigest,
            Source = verdict.Facts?.Source,
            Created = verdict.Facts?.Created,
            Version = verdict.Facts?.Version,
            Revision = verdict.Facts?.Revision,
            RegistryRequests = verdict.RegistryRequests,
        };
        return JsonSerializer.Serialize(document, VerdictJsonContext.Default.VerdictDocument);
    }
}
