namespace UpdateAgent.Trust.Registry;

/// <summary>
/// What one verification may spend on registries: the bytes it reads, the requests it sends and the
/// time it takes. Each signature store has its own per-item caps; these bound their product, so a
/// candidate built to multiply them (many layers times many referrers) cannot exhaust the host.
/// </summary>
/// <param name="MaxBytes">Body bytes read in total (manifests, blobs, referrers, tokens).</param>
/// <param name="MaxRequests">HTTP requests sent in total, token requests included.</param>
/// <param name="MaxDuration">Wall time from the first request to the last.</param>
public sealed record VerificationLimits(long MaxBytes, int MaxRequests, TimeSpan MaxDuration)
{
    /// <summary>16 MiB, 200 requests, 60 s: ample for real signature sets (a few kilobytes and a dozen requests each).</summary>
    public static VerificationLimits Default { get; } = new(16 * 1024 * 1024, 200, TimeSpan.FromSeconds(60));
}
