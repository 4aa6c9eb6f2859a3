namespace UpdateAgent.Podman;

/// <summary>
/// A systemd unit whose containers update together: one restart of the unit moves all of them,
/// so they must agree on policy, image reference and running image.
/// </summary>
/// <param name="UnitName">The systemd unit, from <c>PODMAN_SYSTEMD_UNIT</c>.</param>
/// <param name="Policy">The policy all its containers share.</param>
/// <param name="ImageReference">The reference all its containers were created from (<c>Config.Image</c>).</param>
/// <param name="ImageId">ID of the image all its containers run.</param>
/// <param name="RepoDigests">That image's repo digests (<c>repo@sha256:…</c>), as podman reports them.</param>
/// <param name="Containers">Its participating containers, ordered by name.</param>
public sealed record ManagedUnit(
    string UnitName,
    AutoUpdatePolicy Policy,
    string ImageReference,
    string ImageId,
    IReadOnlyList<string> RepoDigests,
    IReadOnlyList<ManagedContainer> Containers);
