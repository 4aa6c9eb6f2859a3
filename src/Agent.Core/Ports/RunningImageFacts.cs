namespace UpdateAgent.Core.Ports;

/// <summary>What runs now, so the verifier can refuse a downgrade or a digest the unit moved away from.</summary>
/// <param name="Digest">The running digest.</param>
/// <param name="Created">The running image's config build time (podman's Created), when known.</param>
/// <param name="Version">The running image's version label, when known.</param>
/// <param name="ReplacedDigests">Digests this unit ran before and was moved off.</param>
public sealed record RunningImageFacts(string Digest, DateTimeOffset? Created, string? Version, IReadOnlyCollection<string> ReplacedDigests)
{
    /// <summary>The running image's <c>org.opencontainers.image.created</c> label as written, when it has one.</summary>
    public string? CreatedLabel { get; init; }

    /// <summary>The version the running image's signature stated when it was verified, from the ledger.</summary>
    public string? SignedVersion { get; init; }
}
