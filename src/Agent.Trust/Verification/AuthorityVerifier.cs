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
            var tlogFailure = CheckTlog(authority, evidence, key.SubjectPublicKeyInfo);
            if (tlogFailure is not null)
            {
                return tlogFailure;
            }
            signedAt = evidence.Tlog!.IntegratedAt;
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
        var tlogFailure = CheckTlog(authority, evidence, leaf.RawData);
        if (tlogFailure is not null)
        {
            return tlogFailure;
        }
        var signedAt = evidence.Tlog!.IntegratedAt;
        var chainFailure = CertificateChainVerifier.Check(leaf, evidence.Chain, keyless.Roots, signedAt);
        if (chainFailure is { } failure)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, failure.Code, failure.Message);
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
        return new AuthorityCheck(authority.Name, evidence, new SignerInfo(authority.Name, subject, facts.Issuer, evidence.Origin, signedAt), facts, null);
    }

    private static AuthorityCheck? CheckTlog(TrustAuthority authority, SignatureEvidence evidence, byte[] signerMaterialDer)
    {
        if (evidence.Tlog is null)
        {
            return AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.MissingTlog, $"'{authority.Name}' requires a transparency-log entry and the signature has none");
        }
        string? problem;
        try
        {
            problem = TlogVerifier.Check(evidence, authority.RekorKeys, signerMaterialDer);
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
        }
        return problem is null ? null : AuthorityCheck.Fail(authority.Name, evidence, ReasonCodes.InvalidTlog, problem);
    }

    private static bool Matches(string? value, string? exact, string? pattern)
    {
        if (value is null)
        {
            return false;
        }
        if (exact is not null)
        {
            return string.Equals(value, exact, StringComparison.Ordinal);
        }
        return pattern is not null && Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, RegexBudget);
    }
}
