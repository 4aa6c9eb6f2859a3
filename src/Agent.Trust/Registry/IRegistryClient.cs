namespace UpdateAgent.Trust.Registry;

/// <summary>
/// The OCI distribution operations the agent needs. Every method checks digests and sizes of
/// what it returns and throws <see cref="RegistryException"/> otherwise. Implementations count
/// their HTTP requests so a pass can report its cost.
/// </summary>
public interface IRegistryClient
{
    /// <summary>HTTP requests sent so far (including token requests).</summary>
    long RequestCount { get; }

    /// <summary>
    /// A client for one verification: it shares this one's connections, tokens and cache, and charges
    /// every request and body byte to <paramref name="budget"/>, failing with
    /// <see cref="RegistryFailure.BudgetExceeded"/> once it is spent.
    /// </summary>
    IRegistryClient WithBudget(RegistryBudget budget);

    /// <summary>Resolves a tag or digest to its digest, following an index to this host's platform.</summary>
    Task<ResolvedImage> ResolveAsync(ImageReference image, CancellationToken cancellationToken);

    /// <summary>Resolves a tag to its digest only, with a HEAD request where the registry allows it.</summary>
    Task<string> ResolveDigestAsync(ImageReference image, CancellationToken cancellationToken);

    /// <summary>Fetches a manifest by tag or digest; null when it does not exist. A digest reference is checked against the bytes.</summary>
    Task<ManifestContent?> TryGetManifestAsync(ImageReference repository, string reference, CancellationToken cancellationToken);

    /// <summary>Fetches a blob by digest, checking its digest and, if given, its size; null when it does not exist.</summary>
    Task<byte[]?> TryGetBlobAsync(ImageReference repository, string digest, long? expectedSize, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Reads the config blob of an image manifest.</summary>
    Task<ImageConfigFacts> GetConfigAsync(ImageReference repository, ManifestContent imageManifest, CancellationToken cancellationToken);

    /// <summary>Manifests referring to <paramref name="subjectDigest"/>, from the referrers API or the <c>sha256-&lt;hex&gt;</c> tag.</summary>
    Task<IReadOnlyList<ReferrerDescriptor>> GetReferrersAsync(ImageReference repository, string subjectDigest, string? artifactType, CancellationToken cancellationToken);

    /// <summary>Uploads a blob unless the registry already has it; returns its digest.</summary>
    Task<string> PushBlobAsync(ImageReference repository, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Stores a manifest under a tag or its digest; returns its digest.</summary>
    Task<string> PushManifestAsync(ImageReference repository, string reference, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken);
}
