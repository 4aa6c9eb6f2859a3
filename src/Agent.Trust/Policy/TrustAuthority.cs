using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Policy;

/// <summary>A party whose signature counts: a public key, or a keyless (Fulcio) identity.</summary>
public sealed class TrustAuthority
{
    internal TrustAuthority(string name, IReadOnlyList<VerificationKey> keys, KeylessIdentity? keyless, SigstoreTrustRoot trustRoot, bool requireTlog)
    {
        Name = name;
        Keys = keys;
        Keyless = keyless;
        TrustRoot = trustRoot;
        RequireTransparencyLog = requireTlog;
    }

    /// <summary>The name the policy gives it.</summary>
    public string Name { get; }

    /// <summary>Fingerprints (<c>sha256:</c> of the SubjectPublicKeyInfo) of its keys; empty for keyless authorities.</summary>
    public IReadOnlyList<string> KeyFingerprints => Keys.Select(k => k.Fingerprint).ToList();

    /// <summary>The keyless identity, or null for a key authority.</summary>
    public KeylessIdentity? Keyless { get; }

    /// <summary>Whether a verified transparency-log entry is required (always for keyless).</summary>
    public bool RequireTransparencyLog { get; }

    internal IReadOnlyList<VerificationKey> Keys { get; }

    /// <summary>The logs, CAs and timestamp authorities this authority's signatures are checked against.</summary>
    internal SigstoreTrustRoot TrustRoot { get; }

    /// <summary>
    /// Keyless: whether the certificate must carry a valid SCT from a CT log of <see cref="TrustRoot"/>
    /// (the default; the policy opts out with <c>require_sct = false</c>). Ignored for key authorities.
    /// </summary>
    internal bool RequireSct { get; init; } = true;

    internal IReadOnlyList<VerificationKey> RekorKeys => TrustRoot.TransparencyLogs.Select(l => l.Key).ToList();
}

/// <summary>
/// Who may sign keyless: a certificate with this issuer and subject. The CAs it must chain to are the
/// authority's <see cref="TrustAuthority.TrustRoot"/>.
/// </summary>
public sealed class KeylessIdentity
{
    /// <summary>Required OIDC issuer (exact), or null when <see cref="IssuerPattern"/> is used.</summary>
    public string? Issuer { get; init; }

    /// <summary>Required OIDC issuer (regular expression, whole match).</summary>
    public string? IssuerPattern { get; init; }

    /// <summary>Required subject alternative name (exact).</summary>
    public string? Subject { get; init; }

    /// <summary>Required subject alternative name (regular expression, whole match).</summary>
    public string? SubjectPattern { get; init; }

    /// <summary>Required GitHub workflow repository (<c>owner/repo</c>), if any.</summary>
    public string? WorkflowRepository { get; init; }

    /// <summary>Required GitHub workflow ref (e.g. <c>refs/heads/main</c>), if any.</summary>
    public string? WorkflowRef { get; init; }
}
