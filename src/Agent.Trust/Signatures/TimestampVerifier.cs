using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Trust.Signatures;

/// <summary>What checking one RFC 3161 timestamp established.</summary>
/// <param name="Time">The authority's <c>genTime</c>, when the timestamp verified.</param>
/// <param name="Problem">Why it does not count, or null.</param>
internal readonly record struct TimestampCheck(DateTimeOffset? Time, string? Problem);

/// <summary>
/// Verifies an RFC 3161 timestamp response offline: its CMS signature by the leaf of a configured
/// timestamp authority (whose certificate is for time stamping and chains to that authority's
/// root at the stamped time), the authority's window, and that the stamped message is the signature.
/// </summary>
internal static class TimestampVerifier
{
    private const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";
    private const int MaxTokenBytes = 64 * 1024;

    /// <summary>The verified time, or why the timestamp does not verify with any of <paramref name="authorities"/>.</summary>
    public static TimestampCheck Check(byte[] response, byte[] signature, IReadOnlyList<CertificateAuthority> authorities)
    {
        if (response.Length > MaxTokenBytes)
        {
            return new(null, "the timestamp is larger than any authority writes");
        }
        TimeStampToken token;
        try
        {
            token = Decode(response);
        }
        // BouncyCastle reports malformed DER with several exception types; none may escape a verification.
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new(null, $"the timestamp cannot be read: {ex.Message}");
        }
        var genTime = new DateTimeOffset(DateTime.SpecifyKind(token.TimeStampInfo.GenTime, DateTimeKind.Utc));
        var imprint = token.TimeStampInfo.MessageImprintAlgOid switch
        {
            "2.16.840.1.101.3.4.2.1" => SHA256.HashData(signature),
            "2.16.840.1.101.3.4.2.2" => SHA384.HashData(signature),
            "2.16.840.1.101.3.4.2.3" => SHA512.HashData(signature),
            _ => null,
        };
        if (imprint is null || !CryptographicOperations.FixedTimeEquals(imprint, token.TimeStampInfo.GetMessageImprintDigest()))
        {
            return new(null, "the timestamp is not over this signature");
        }
        var problems = new List<string>();
        foreach (var authority in authorities)
        {
            var problem = SignedBy(token, authority, genTime);
            if (problem is null)
            {
                return new(genTime, null);
            }
            problems.Add($"{authority.Name}: {problem}");
        }
        return new(null, problems.Count == 0 ? "no timestamp authority is configured" : string.Join("; ", problems));
    }

    private static TimeStampToken Decode(byte[] der)
    {
        try
        {
            var response = new TimeStampResponse(der);
            // 0 granted, 1 granted with modifications: anything else carries no token.
            return response.Status is 0 or 1 && response.TimeStampToken is { } token
                ? token : throw new FormatException($"the timestamp authority answered status {response.Status}");
        }
        catch (TspException)
        {
            // Some signers store the bare token (a CMS ContentInfo) instead of the whole response.
            return new TimeStampToken(new CmsSignedData(der));
        }
    }

    private static string? SignedBy(TimeStampToken token, CertificateAuthority authority, DateTimeOffset genTime)
    {
        if (authority.Chain.Count == 0)
        {
            return "no certificates";
        }
        if (!authority.ValidFor.Contains(genTime))
        {
            return $"the authority is trusted {authority.ValidFor}, not at {genTime:u}";
        }
        var leaf = authority.Chain[0];
        var usage = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usage is null || !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TimeStampingOid))
        {
            return "its certificate is not for time stamping";
        }
        try
        {
            // Checks the signer is this certificate (ESS certificate ID), its key usage, its validity at genTime and the CMS signature.
            token.Validate(new Org.BouncyCastle.X509.X509Certificate(leaf.RawData));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"the timestamp is not signed by it: {ex.Message}";
        }
        return ChainHolds(authority.Chain, genTime);
    }

    private static string? ChainHolds(IReadOnlyList<X509Certificate2> certificates, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(certificates[^1]);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(TimeStampingOid));
        foreach (var intermediate in certificates.Skip(1).SkipLast(1))
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }
        if (chain.Build(certificates[0]))
        {
            return null;
        }
        return $"its certificate does not chain to its root at {at:u} ({string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct())})";
    }
}
