using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using UpdateAgent.Trust.Keyless;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Verification;

/// <summary>
/// Decides whether one signature was made by one authority, and only then whether its signed
/// claims (digest, repository) fit the image. Claims of an unverified signature are never read.
/// </summary>
internal static class AuthorityVerifier
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromSeconds(1);

    /// <summary>How far a log's clock may run ahead of ours before its integration time is refused.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static AuthorityCheck Check(TrustAuthority authority, SignatureEvidence evidence, ImageReference image, string digest) =>
        CheckSubject(authority, evidence, image, digest);

    /// <summary>
    /// The same check for an artifact that is not an image (a blob, or an in-toto subject): it
    /// has no repository, so only the signed digest is compared.
    /// </summary>
    public static AuthorityCheck CheckArtifact(TrustAuthority authority, SignatureEvidence evidence, string digest) =>
        CheckSubject(authority, evidence, null, digest);

    private static AuthorityCheck CheckSubject(TrustAuthority authority, SignatureEvidence evidence, ImageReference? image, string digest)
    {
        if (evidence.PayloadError is not null)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.TamperedPayload, evidence.PayloadError);
        }
        var identity = authority.Keyless is null ? CheckKey(authority, evidence) : CheckKeyless(authority, authority.Keyless, evidence);
        if (identity.Failure is not null)
        {
            return identity;
        }
        if (evidence.ClaimedDigest != digest)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.DigestMismatch,
                $"signed by '{authority.Name}' but for {evidence.ClaimedDigest}, not {digest}");
        }
        if (image is not null && evidence.ClaimedRepository is not null && !image.IsSameRepository(evidence.ClaimedRepository))
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.WrongRepository,
                $"signed by '{authority.Name}' for repository {evidence.ClaimedRepository}, not {image.Name}");
        }
        return identity;
    }

    private static AuthorityCheck CheckKey(TrustAuthority authority, SignatureEvidence evidence)
    {
        var key = authority.Keys.FirstOrDefault(evidence.IsSignedBy);
        if (key is null)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.UntrustedSigner,
                $"the signature does not verify with the key of '{authority.Name}' (another signer, or altered signed bytes)");
        }
        DateTimeOffset? signedAt = null;
        if (authority.RequireTransparencyLog)
        {
            // A key needs inclusion, not a time: a proof alone will do, and the time is reported only when verified.
            var (times, failure) = SigningTimes(authority, evidence, key.SubjectPublicKeyInfo);
            if (failure is not null)
            {
                return failure;
            }
            signedAt = times.Count > 0 ? times[0] : null;
        }
        return new AuthorityCheck(authority.Name, evidence, new SignerInfo(authority.Name, key.Fingerprint, null, evidence.Origin, signedAt), null, null);
    }

    private static AuthorityCheck CheckKeyless(TrustAuthority authority, KeylessIdentity keyless, SignatureEvidence evidence)
    {
        var leaf = evidence.Certificate;
        if (leaf is null)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.UntrustedSigner, $"no signing certificate, and '{authority.Name}' is keyless");
        }
        VerificationKey leafKey;
        try
        {
            leafKey = VerificationKey.FromSubjectPublicKeyInfo(leaf.PublicKey.ExportSubjectPublicKeyInfo());
        }
        catch (FormatException ex)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.UntrustedSigner, $"the certificate's key cannot be used: {ex.Message}");
        }
        if (!evidence.IsSignedBy(leafKey))
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.UntrustedSigner, "the signature does not verify with the certificate's key");
        }
        var (times, timeFailure) = SigningTimes(authority, evidence, leaf.RawData);
        if (timeFailure is not null)
        {
            return timeFailure;
        }
        if (times.Count == 0)
        {
            // The leaf lives ten minutes: without a time the signer cannot choose, it cannot be judged.
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.MissingTimestamp,
                "no verified signing time: the log entry has no signed entry timestamp and no timestamp from a configured authority verifies");
        }
        // Every verified time must fall inside the leaf's life and the chain's.
        foreach (var signedAt in times)
        {
            var chainFailure = CertificateChainVerifier.Check(leaf, evidence.Chain, authority.TrustRoot, signedAt, authority.RequireSct);
            if (chainFailure is { } failure)
            {
                return AuthorityCheck.Fail(authority.Name, evidence, failure.Code, failure.Message);
            }
        }
        FulcioCertificate facts;
        try
        {
            facts = FulcioCertificate.Read(leaf);
        }
        catch (FormatException ex)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.UntrustedChain, ex.Message);
        }
        if (!Matches(facts.Issuer, keyless.Issuer, keyless.IssuerPattern))
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.WrongIssuer,
                $"issuer '{facts.Issuer}' is not the '{keyless.Issuer ?? keyless.IssuerPattern}' that '{authority.Name}' requires");
        }
        var subject = facts.SubjectAlternativeNames.FirstOrDefault(san => Matches(san, keyless.Subject, keyless.SubjectPattern));
        if (subject is null)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.WrongIdentity,
                $"subject '{string.Join(", ", facts.SubjectAlternativeNames)}' is not the '{keyless.Subject ?? keyless.SubjectPattern}' that '{authority.Name}' requires");
        }
        if (keyless.WorkflowRepository is not null && facts.WorkflowRepository != keyless.WorkflowRepository)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.WrongIdentity,
                $"workflow repository '{facts.WorkflowRepository}' is not '{keyless.WorkflowRepository}'");
        }
        if (keyless.WorkflowRef is not null && facts.WorkflowRef != keyless.WorkflowRef)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.WrongIdentity,
                $"workflow ref '{facts.WorkflowRef}' is not '{keyless.WorkflowRef}'");
        }
        return new AuthorityCheck(authority.Name, evidence, new SignerInfo(authority.Name, subject, facts.Issuer, evidence.Origin, times[0]), facts, null);
    }

    /// <summary>
    /// Checks the log entry (required) and every timestamp, and returns the verified signing times:
    /// the SET's integration time, then each timestamp authority's time. A log or authority counts
    /// only inside its window at those times (at the present when there is none).
    /// </summary>
    private static (IReadOnlyList<DateTimeOffset> Times, AuthorityCheck? Failure) SigningTimes(TrustAuthority authority, SignatureEvidence evidence, byte[] signerMaterialDer)
    {
        if (evidence.Tlog is null)
        {
            return ([], AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.MissingTlog, $"'{authority.Name}' requires a transparency-log entry and the signature has none"));
        }
        TlogCheck tlog;
        try
        {
            tlog = TlogVerifier.Check(evidence, authority.TrustRoot.TransparencyLogs, signerMaterialDer);
        }
        catch (FormatException ex)
        {
            tlog = TlogCheck.Fail(ex.Message);
        }
        if (tlog.Problem is not null)
        {
            return ([], AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.InvalidTlog, tlog.Problem));
        }
        var times = new List<DateTimeOffset>();
        if (tlog.SignedTime is { } setTime)
        {
            // A log that dates an entry after the present has a broken clock or was told to lie.
            if (setTime > DateTimeOffset.UtcNow + ClockSkew)
            {
                return ([], AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.InvalidTlog, $"the log says it integrated the entry at {setTime:u}, in the future"));
            }
            times.Add(setTime);
        }
        // Timestamps from authorities this policy does not name cannot be judged, so they are not read.
        var tsas = authority.TrustRoot.TimestampAuthorities;
        foreach (var token in tsas.Count == 0 ? [] : evidence.Timestamps)
        {
            var stamp = TimestampVerifier.Check(token, evidence.Signature, tsas);
            if (stamp.Problem is not null)
            {
                return ([], AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.InvalidTimestamp, stamp.Problem));
            }
            times.Add(stamp.Time!.Value);
        }
        var log = tlog.Log!;
        foreach (var at in times.Count > 0 ? times : [DateTimeOffset.UtcNow])
        {
            if (!log.ValidFor.Contains(at))
            {
                return ([], AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.InvalidTlog,
                    $"the log {log.BaseUrl ?? log.LogIdHex} is trusted {log.ValidFor} (its window), not at {at:u}"));
            }
        }
        return (times, null);
    }

    /// <summary>Whether <paramref name="value"/> equals <paramref name="exact"/>, or else matches all of <paramref name="pattern"/>.</summary>
    internal static bool Matches(string? value, string? exact, string? pattern)
    {
        if (value is null)
        {
            return false;
        }
        if (exact is not null)
        {
            return string.Equals(value, exact, StringComparison.Ordinal);
        }
        // \A…\z, not ^…$: '$' also matches before a final newline, so "…@refs/heads/main\n" would pass.
        return pattern is not null && Regex.IsMatch(value, $"\\A(?:{pattern})\\z", RegexOptions.CultureInvariant, RegexBudget);
    }
}
