namespace UpdateAgent.Trust.Verification;

/// <summary>Facts about the candidate image gathered while verifying it.</summary>
/// <param name="Digest">The digest verified (an index digest for multi-platform images).</param>
/// <param name="PlatformDigest">The image manifest for this host, if it was read.</param>
/// <param name="Source">Source repository: the label, or the signing certificate's repository when the policy takes it from there.</param>
/// <param name="Created">Creation time: the <c>org.opencontainers.image.created</c> label, else the config's.</param>
/// <param name="Version">Version: a signed <c>version</c> annotation if present, else the label.</param>
/// <param name="Revision">Source revision label.</param>
public sealed record CandidateFacts(string Digest, string? PlatformDigest, string? Source, DateTimeOffset? Created, string? Version, string? Revision)
{
    /// <summary>The <c>org.opencontainers.image.created</c> label's time, if it states one.</summary>
    public DateTimeOffset? LabelCreated { get; init; }

    /// <summary>The config's build time, unless it is the epoch a reproducible build writes.</summary>
    public DateTimeOffset? ConfigCreated { get; init; }

    /// <summary>The version a verified signature states (annotation <c>version</c> or <c>org.opencontainers.image.version</c>).</summary>
    public string? SignedVersion { get; init; }

    /// <summary>The <c>org.opencontainers.image.version</c> label.</summary>
    public string? LabelVersion { get; init; }
}
