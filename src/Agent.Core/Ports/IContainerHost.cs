namespace UpdateAgent.Core.Ports;

/// <summary>
/// What the engine needs from podman, in Core's own terms, so the engine can be tested without a
/// socket. Every failure, a missing image or container included, is a <see cref="ContainerHostException"/>.
/// </summary>
public interface IContainerHost
{
    /// <summary>The managed units and their containers; containers that cannot be taken in are problems, not failures.</summary>
    Task<DiscoveryResult> DiscoverUnitsAsync(CancellationToken cancellationToken);

    /// <summary>Whether an image with this name, reference or ID is in local storage.</summary>
    Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken);

    /// <summary>Inspects a local image (name, <c>repo@sha256:…</c> or ID).</summary>
    Task<ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>Pulls exactly <paramref name="digestReference"/> (<c>repo@sha256:…</c>).</summary>
    Task<PulledImage> PullByDigestAsync(string digestReference, CancellationToken cancellationToken);

    /// <summary>Points the tag <paramref name="targetTag"/> (<c>repo:tag</c>) at <paramref name="image"/>.</summary>
    Task TagImageAsync(string image, string targetTag, CancellationToken cancellationToken);

    /// <summary>Removes the tag <paramref name="targetTag"/> from <paramref name="image"/>; the image stays.</summary>
    Task UntagImageAsync(string image, string targetTag, CancellationToken cancellationToken);

    /// <summary>Removes an image by ID, never forced; false when a container still uses it or it is gone.</summary>
    Task<bool> RemoveImageAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>Which image and digests a local tag names; <see langword="null"/> when the tag does not exist.</summary>
    Task<LocalTag?> ReadLocalTagAsync(string tag, CancellationToken cancellationToken);

    /// <summary>A container's state.</summary>
    Task<ContainerState> InspectContainerAsync(string container, CancellationToken cancellationToken);

    /// <summary>Runs the container's health check now; no check defined (or not running) is a result, not an error.</summary>
    Task<HealthCheckRun> RunHealthCheckAsync(string container, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="command"/> inside the container (no shell) and waits for its exit code and output.</summary>
    Task<ExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken);
}
