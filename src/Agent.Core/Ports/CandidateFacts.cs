namespace UpdateAgent.Core.Ports;

/// <summary>What the verifier learnt about the candidate that the engine needs.</summary>
/// <param name="Digest">The candidate's digest as resolved (an index or a manifest).</param>
/// <param name="PlatformDigest">The manifest for this host's platform, when <paramref name="Digest"/> is an index: what podman will run.</param>
public sealed record CandidateFacts(string Digest, string? PlatformDigest)
{
    /// <summary>The version a verified signature states, kept in the ledger so the next candidate is compared with it.</summary>
    public string? SignedVersion { get; init; }
}
