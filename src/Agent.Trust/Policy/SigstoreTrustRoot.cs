using System.Security.Cryptography.X509Certificates;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Policy;

/// <summary>When a key or certificate authority may be relied on; an open end is unbounded.</summary>
/// <param name="Start">First instant it is valid, or null.</param>
/// <param name="End">Last instant it is valid, or null.</param>
public readonly record struct ValidityWindow(DateTimeOffset? Start, DateTimeOffset? End)
{
    /// <summary>Valid at every instant (keys configured as bare PEM files carry no window).</summary>
    public static ValidityWindow Unbounded => default;

    /// <summary>Whether <paramref name="instant"/> lies inside the window, ends included.</summary>
    public bool Contains(DateTimeOffset instant) => (Start is null || instant >= Start) && (End is null || instant <= End);

    /// <inheritdoc />
    public override string ToString() => $"{Start?.ToString("u") ?? "(any)"}..{End?.ToString("u") ?? "(open)"}";
}

/// <summary>
/// A log whose signatures count: a Rekor transparency log (v1 or v2) or a certificate-transparency log.
/// </summary>
/// <param name="Key">The log's public key.</param>
/// <param name="LogIdHex">Lower-case hex log ID: SHA-256 of the key's SubjectPublicKeyInfo (Rekor v1, CT), or the signed-note key ID (Rekor v2).</param>
/// <param name="ValidFor">When entries of this log may be relied on, judged at the verified signing time.</param>
/// <param name="Origin">
/// The log's checkpoint origin as the trust root implies it, or null when unknown (PEM settings).
/// From <c>trusted_root.json</c> it is the <c>baseUrl</c> without scheme and trailing slashes
/// (C2SP tlog-tiles), e.g. <c>log2025-1.rekor.sigstore.dev</c>. A Rekor v2 checkpoint's origin line
/// must equal it exactly; a Rekor v1 checkpoint names <c>"&lt;origin&gt; - &lt;tree ID&gt;"</c>
/// (e.g. <c>rekor.sigstore.dev - 1193050959916656506</c>), so for v1 it matches when the line equals
/// it or starts with it followed by <c>" - "</c>.
/// </param>
/// <param name="BaseUrl">The log's URL, for messages and <c>doctor</c>.</param>
internal sealed record LogKey(VerificationKey Key, string LogIdHex, ValidityWindow ValidFor, string? Origin = null, string? BaseUrl = null)
{
    /// <summary>A key configured as a bare PEM file: ID from its SubjectPublicKeyInfo, no window, origin unknown.</summary>
    public static LogKey FromKey(VerificationKey key) => new(key, key.Fingerprint["sha256:".Length..], ValidityWindow.Unbounded);
}

/// <summary>A certificate authority (Fulcio) or timestamp authority: its chain, leaf-most first, and its window.</summary>
/// <param name="Chain">Certificates, leaf-most first (intermediates, then the root).</param>
/// <param name="ValidFor">When certificates it issued (or timestamps it signed) may be relied on.</param>
/// <param name="Name">A name for messages: the subject or URI the trust root gives, or the file.</param>
internal sealed record CertificateAuthority(IReadOnlyList<X509Certificate2> Chain, ValidityWindow ValidFor, string Name);

/// <summary>
/// What one authority trusts from a Sigstore deployment: Fulcio CAs, Rekor logs, CT logs and
/// timestamp authorities, each with its window. Built from <c>trusted_root.json</c> or from PEM settings.
/// </summary>
internal sealed record SigstoreTrustRoot
{
    /// <summary>Nothing trusted.</summary>
    public static SigstoreTrustRoot Empty { get; } = new();

    /// <summary>Fulcio certificate authorities.</summary>
    public IReadOnlyList<CertificateAuthority> CertificateAuthorities { get; init; } = [];

    /// <summary>Rekor transparency logs (v1 and v2).</summary>
    public IReadOnlyList<LogKey> TransparencyLogs { get; init; } = [];

    /// <summary>Certificate-transparency logs whose SCTs a Fulcio leaf must carry.</summary>
    public IReadOnlyList<LogKey> CertificateTransparencyLogs { get; init; } = [];

    /// <summary>RFC 3161 timestamp authorities.</summary>
    public IReadOnlyList<CertificateAuthority> TimestampAuthorities { get; init; } = [];

    /// <summary>The <c>trusted_root.json</c> this came from, or null for PEM settings.</summary>
    public string? SourceFile { get; init; }

    /// <summary>When that file was last written (its age is reported by <c>doctor</c>).</summary>
    public DateTimeOffset? SourceWritten { get; init; }
}
