namespace UpdateAgent.Trust.Verification;

/// <summary>What is known about the image a unit runs now, for the anti-downgrade rules.</summary>
/// <param name="Digest">Digest running now.</param>
/// <param name="Created">Its creation time, if known.</param>
/// <param name="Version">Its (signed or labelled) version, if known.</param>
/// <param name="ReplacedDigests">Digests this unit has already moved away from; it never returns to one on its own.</param>
public sealed record RunningImageFacts(string Digest, DateTimeOffset? Created, string? Version, IReadOnlyCollection<string> ReplacedDigests);
