namespace UpdateAgent.Trust.Verification;

/// <summary>What is known about the image a unit runs now, for the anti-downgrade rules.</summary>
/// <param name="Digest">Digest running now.</param>
/// <param name="Created">Its config's build time (what <c>podman image inspect</c> calls Created), if known.</param>
/// <param name="Version">Its <c>org.opencontainers.image.version</c> label, if any.</param>
/// <param name="ReplacedDigests">Digests this unit has already moved away from; it never returns to one on its own.</param>
public sealed record RunningImageFacts(string Digest, DateTimeOffset? Created, string? Version, IReadOnlyCollection<string> ReplacedDigests)
{
    /// <summary>Its <c>org.opencontainers.image.created</c> label, if it states a time.</summary>
    public DateTimeOffset? CreatedLabel { get; init; }

    /// <summary>The <c>version</c> its signature carried when it was accepted, if known.</summary>
    public string? SignedVersion { get; init; }
}
