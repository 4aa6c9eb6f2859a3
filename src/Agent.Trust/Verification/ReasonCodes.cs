namespace UpdateAgent.Trust;

/// <summary>Stable reason codes of a <see cref="Verification.Verdict"/>; scripts and the update engine match on these.</summary>
public static class ReasonCodes
{
    /// <summary>No policy covers the repository.</summary>
    public const string NoPolicy = "no-policy";
    /// <summary>No signature at all was found.</summary>
    public const string Unsigned = "unsigned";
    /// <summary>A signature exists but no required authority's key or identity verifies it (another key, or altered bytes).</summary>
    public const string UntrustedSigner = "untrusted-signer";
    /// <summary>A payload blob does not match its descriptor, or its signed bytes cannot be parsed.</summary>
    public const string TamperedPayload = "tampered-payload";
    /// <summary>A valid signature names another digest.</summary>
    public const string DigestMismatch = "digest-mismatch";
    /// <summary>A valid signature names another repository.</summary>
    public const string WrongRepository = "wrong-repository";
    /// <summary>The release gate's annotations are missing or differ.</summary>
    public const string NotBlessed = "not-blessed";
    /// <summary>The image does not come from the required source.</summary>
    public const string WrongSource = "wrong-source";
    /// <summary>The candidate is older than what runs.</summary>
    public const string Downgrade = "downgrade";
    /// <summary>The candidate states no creation time, so its age cannot be compared.</summary>
    public const string UnknownAge = "unknown-age";
    /// <summary>The digest is on a deny list.</summary>
    public const string Revoked = "revoked";
    /// <summary>The unit already moved away from this digest.</summary>
    public const string ReplacedDigest = "replaced-digest";
    /// <summary>Keyless: the certificate was not valid when the signature was logged.</summary>
    public const string CertificateExpired = "certificate-expired";
    /// <summary>Keyless: the certificate does not chain to a configured root or is not for code signing.</summary>
    public const string UntrustedChain = "untrusted-chain";
    /// <summary>Keyless: the OIDC issuer differs.</summary>
    public const string WrongIssuer = "wrong-issuer";
    /// <summary>Keyless: the subject (identity) or a workflow extension differs.</summary>
    public const string WrongIdentity = "wrong-identity";
    /// <summary>Keyless: the certificate carries no SCT, or none verifies with a certificate-transparency log valid at its time.</summary>
    public const string InvalidSct = "invalid-sct";
    /// <summary>A required transparency-log entry is missing.</summary>
    public const string MissingTlog = "missing-tlog";
    /// <summary>A transparency-log entry does not verify or does not describe the signature.</summary>
    public const string InvalidTlog = "invalid-tlog";
    /// <summary>Keyless: no verified signing time (neither a signed entry timestamp nor a timestamp from a configured authority).</summary>
    public const string MissingTimestamp = "missing-timestamp";
    /// <summary>An RFC 3161 timestamp does not verify with a configured timestamp authority, or is not over this signature.</summary>
    public const string InvalidTimestamp = "invalid-timestamp";
    /// <summary>The manifest body does not hash to its digest.</summary>
    public const string ManifestDigestMismatch = "manifest-digest-mismatch";
    /// <summary>A response exceeded its size limit.</summary>
    public const string OversizedResponse = "oversized-response";
    /// <summary>A response ended before its announced length.</summary>
    public const string TruncatedResponse = "truncated-response";
    /// <summary>A response is not the document it should be.</summary>
    public const string MalformedResponse = "malformed-response";
    /// <summary>The candidate digest does not exist in the repository.</summary>
    public const string ManifestUnknown = "manifest-unknown";
    /// <summary>registries.conf blocks the image's registry or namespace, so podman would not pull it.</summary>
    public const string RegistryBlocked = "registry-blocked";
    /// <summary>Could not decide: the registry failed, was unreachable or refused access.</summary>
    public const string RegistryError = "registry-error";
    /// <summary>Could not decide: the registry did not answer in time.</summary>
    public const string Timeout = "timeout";

    /// <summary>Could not decide: the verification used up its registry budget (bytes, requests or wall time) before it could finish.</summary>
    public const string BudgetExceeded = "budget-exceeded";
    /// <summary>Could not decide: the verification failed unexpectedly (a bug, or input no check foresaw); the message names the exception.</summary>
    public const string VerifierError = "verifier-error";

    /// <summary>Whether <paramref name="code"/> means "could not decide" rather than a refusal.</summary>
    public static bool IsUndecided(string code) => code is RegistryError or Timeout or BudgetExceeded or VerifierError;
}
