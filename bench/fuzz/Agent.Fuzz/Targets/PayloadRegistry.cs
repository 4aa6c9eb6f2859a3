using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A registry that holds one blob and nothing else, so that a signature layer's reader gets its
/// payload without a network. Every other operation is one the readers under fuzz never make.
/// </summary>
internal sealed class PayloadRegistry(string digest, byte[] blob) : IRegistryClient
{
    public long RequestCount => 0;

    public IRegistryClient WithBudget(RegistryBudget budget) => this;

    public Task<byte[]?> TryGetBlobAsync(ImageReference repository, string requested, long? expectedSize, long maxBytes, CancellationToken cancellationToken) =>
        Task.FromResult(requested == digest ? blob : null);

    public Task<ResolvedImage> ResolveAsync(ImageReference image, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> ResolveDigestAsync(ImageReference image, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ManifestContent?> TryGetManifestAsync(ImageReference repository, string reference, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ImageConfigFacts> GetConfigAsync(ImageReference repository, ManifestContent imageManifest, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ReferrerDescriptor>> GetReferrersAsync(ImageReference repository, string subjectDigest, string? artifactType, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<string> PushBlobAsync(ImageReference repository, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> PushManifestAsync(ImageReference repository, string reference, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
