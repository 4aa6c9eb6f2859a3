using UpdateAgent.Core.Ports;
using UpdateAgent.Podman;
using Ports = UpdateAgent.Core.Ports;

namespace UpdateAgent.Adapters;

/// <summary>
/// The Podman API client as the engine's <see cref="IContainerHost"/>: podman's records become
/// Core's, and every <see cref="PodmanException"/> (a missing image or container included), like a
/// socket that fails or does not answer in time, becomes a <see cref="ContainerHostException"/>
/// with the same message.
/// </summary>
/// <param name="podman">The client.</param>
/// <param name="access">When given, discovery teaches it the containers' auth-file labels and every pull carries its credentials and TLS setting.</param>
internal sealed class PodmanContainerHost(IPodmanClient podman, ContainerRegistryAccess? access = null) : IContainerHost
{
    /// <inheritdoc />
    public Task<Ports.DiscoveryResult> DiscoverUnitsAsync(CancellationToken cancellationToken) =>
        Call(async () =>
        {
            var discovered = await podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
            access?.Learn(discovered);
            return PodmanMapping.Map(discovered);
        });

    /// <inheritdoc />
    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) =>
        Call(() => podman.ImageExistsAsync(image, cancellationToken));

    /// <inheritdoc />
    public Task<Ports.ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        Call(async () => PodmanMapping.Map(await podman.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)));

    /// <inheritdoc />
    public Task<Ports.PulledImage> PullByDigestAsync(string digestReference, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            if (access is { HasLearned: false })
            {
                // A pull before any discovery (recovery, an operator's rollback in a fresh process) still uses the labels' auth files.
                access.Learn(await podman.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false));
            }
            PullAccess? how;
            try
            {
                how = access?.ForPull(digestReference);
            }
            catch (Trust.Registry.RegistryException e)
            {
                throw new ContainerHostException($"pull {digestReference}: {e.Message}", e);
            }
            var pulled = how is null
                ? await podman.PullByDigestAsync(digestReference, cancellationToken).ConfigureAwait(false)
                : await podman.PullByDigestAsync(digestReference, how, cancellationToken).ConfigureAwait(false);
            return new Ports.PulledImage(pulled.Reference, pulled.ImageId);
        });

    /// <inheritdoc />
    public Task TagImageAsync(string image, string targetTag, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            await podman.TagImageAsync(image, targetTag, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public Task UntagImageAsync(string image, string targetTag, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            await podman.UntagImageAsync(image, targetTag, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public Task<bool> RemoveImageAsync(string imageId, CancellationToken cancellationToken) =>
        Call(() => podman.RemoveImageAsync(imageId, cancellationToken));

    /// <inheritdoc />
    public Task<Ports.LocalTag?> ReadLocalTagAsync(string tag, CancellationToken cancellationToken) =>
        Call(async () => await podman.ReadLocalTagAsync(tag, cancellationToken).ConfigureAwait(false) is { } local
            ? new Ports.LocalTag(local.Reference, local.ImageId, local.Digests)
            : null);

    /// <inheritdoc />
    public Task<Ports.ContainerState> InspectContainerAsync(string container, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            var state = await podman.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
            return new Ports.ContainerState(state.Name, state.Running, PodmanMapping.Map(state.Health));
        });

    /// <inheritdoc />
    public Task<Ports.HealthCheckRun> RunHealthCheckAsync(string container, CancellationToken cancellationToken) =>
        Call(async () => PodmanMapping.Map(await podman.RunHealthCheckAsync(container, cancellationToken).ConfigureAwait(false)));

    /// <inheritdoc />
    public Task<Ports.ExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        Call(async () =>
        {
            var result = await podman.ExecAsync(container, command, cancellationToken).ConfigureAwait(false);
            return new Ports.ExecResult(result.ExitCode, result.Output, result.OutputTruncated);
        });

    /// <summary>Runs one call; a failure of podman or its socket becomes the port's, anything else (a stop request, a bug) passes as it is.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is PodmanException or TimeoutException or IOException or HttpRequestException)
        {
            throw new ContainerHostException(e.Message, e);
        }
    }
}
