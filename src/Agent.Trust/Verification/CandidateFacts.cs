namespace UpdateAgent.Trust.Verification;

/// <summary>Facts about the candidate image gathered while verifying it.</summary>
/// <param name="Digest">The digest verified (an index digest for multi-platform images).</param>
/// <param name="PlatformDigest">The image manifest for this host, if it was read.</param>
/// <param name="Source">Source repository: the label, or the signing certificate's repository when the policy takes it from there.</param>
/// <param name="Created">Creation time from the config.</param>
/// <param name="Version">Version: a signed <c>version</c> annotation if present, else the label.</param>
/// <param name="Revision">Source revision label.</param>
public sealed record CandidateFacts(string Digest, string? PlatformDigest, string? Source, DateTimeOffset? Created, string? Version, string? Revision);
