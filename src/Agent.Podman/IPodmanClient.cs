namespace UpdateAgent.Podman;

/// <summary>
/// What the update engine needs from Podman. Every call has its own timeout on top of the caller's
/// token, survives the socket-activated service having exited in between, and fails with a
/// <see cref="PodmanException"/> naming the container or image.
/// </summary>
public interface IPodmanClient
{
    /// <summary>
    /// Finds the running containers labelled <c>io.containers.autoupdate=registry|image|local</c> and groups
    /// them by the systemd unit named in <c>PODMAN_SYSTEMD_UNIT</c> (a pod's containers use the pod infra
    /// container's label). Containers that cannot be taken in are listed as problems; discovery goes on.
    /// </summary>
    /// <param name="cancellationToken">Stops the discovery.</param>
    Task<DiscoveryResult> DiscoverUnitsAsync(CancellationToken cancellationToken);

    /// <summary>Whether an image with this name, reference or ID is in local storage.</summary>
    /// <param name="image">Name (<c>repo:tag</c>), <c>repo@sha256:…</c> or image ID.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken);

    /// <summary>Inspects a local image; throws <see cref="PodmanNotFoundException"/> when there is none.</summary>
    /// <param name="image">Name (<c>repo:tag</c>), <c>repo@sha256:…</c> or image ID.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task<ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>
    /// Pulls exactly <paramref name="digestReference"/> (<c>repo@sha256:…</c>; a tag is refused), reading the
    /// whole progress stream: an error anywhere in it fails the pull even after podman answered 200.
    /// </summary>
    /// <param name="digestReference">The reference by digest.</param>
    /// <param name="cancellationToken">Stops the pull.</param>
    Task<PulledImage> PullByDigestAsync(string digestReference, CancellationToken cancellationToken);

    /// <summary>
    /// Pulls exactly <paramref name="digestReference"/> as the other overload does, sending podman's service
    /// <paramref name="access"/>'s credentials (<c>X-Registry-Auth</c>) and TLS setting (<c>tlsVerify</c>).
    /// The default (for test doubles) ignores <paramref name="access"/>; the real client sends it.
    /// </summary>
    /// <param name="digestReference">The reference by digest.</param>
    /// <param name="access">Credentials and TLS setting for the image's registry.</param>
    /// <param name="cancellationToken">Stops the pull.</param>
    Task<PulledImage> PullByDigestAsync(string digestReference, PullAccess access, CancellationToken cancellationToken) =>
        PullByDigestAsync(digestReference, cancellationToken);

    /// <summary>Points the tag <paramref name="targetTag"/> (<c>repo:tag</c>) at <paramref name="image"/>, moving it if it pointed elsewhere.</summary>
    /// <param name="image">Image ID or any name of the image to tag.</param>
    /// <param name="targetTag">The tag to set, e.g. <c>registry.example/app:latest</c>.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task TagImageAsync(string image, string targetTag, CancellationToken cancellationToken);

    /// <summary>Removes the tag <paramref name="targetTag"/> from <paramref name="image"/>; the image itself stays.</summary>
    /// <param name="image">Image ID or any name of the image.</param>
    /// <param name="targetTag">The tag to remove (<c>repo:tag</c>).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task UntagImageAsync(string image, string targetTag, CancellationToken cancellationToken);

    /// <summary>
    /// Removes an image by ID, never forced; false when a container still uses it or it is gone
    /// (nothing to do), a <see cref="PodmanException"/> for any other failure.
    /// </summary>
    Task<bool> RemoveImageAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>Reads which image and digests a local tag points to; <see langword="null"/> when the tag does not exist.</summary>
    /// <param name="tag">The tag (<c>repo:tag</c>).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task<LocalTag?> ReadLocalTagAsync(string tag, CancellationToken cancellationToken);

    /// <summary>Inspects a container's state; throws <see cref="PodmanNotFoundException"/> when there is none.</summary>
    /// <param name="container">Container name or ID.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task<ContainerState> InspectContainerAsync(string container, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the container's health check now. A container without a health check (or not running) is a
    /// result, <see cref="HealthCheckOutcome.NotDefined"/> (or <see cref="HealthCheckOutcome.NotRunning"/>), not an error.
    /// </summary>
    /// <param name="container">Container name or ID.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task<HealthCheckRun> RunHealthCheckAsync(string container, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="command"/> inside the container, waits for it to end and returns its exit code and output.</summary>
    /// <param name="container">Container name or ID.</param>
    /// <param name="command">The program and its arguments (no shell is involved).</param>
    /// <param name="cancellationToken">Stops waiting (the command may go on in the container).</param>
    Task<ExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken);
}
