namespace UpdateAgent.Core.Ports;

/// <summary>What runs now, so the verifier can refuse a downgrade or a digest the unit moved away from.</summary>
/// <param name="Digest">The running digest.</param>
/// <param name="Created">The running image's creation time, when known.</param>
/// <param name="Version">The running image's version label, when known.</param>
/// <param name="ReplacedDigests">Digests this unit ran before and was moved off.</param>
public sealed record RunningImageFacts(string Digest, DateTimeOffset? Created, string? Version, IReadOnlyCollection<string> ReplacedDigests);
