namespace UpdateAgent.Core.Ports;

/// <summary>A systemd unit whose containers podman may update, with the image they run.</summary>
/// <param name="UnitName">The unit, e.g. <c>app.service</c>.</param>
/// <param name="Policy">How its image is updated.</param>
/// <param name="ImageReference">The reference all its containers were created from, e.g. <c>registry/app:latest</c>.</param>
/// <param name="ImageId">The image its containers run.</param>
/// <param name="RepoDigests">That image's digests (<c>repo@sha256:…</c>).</param>
/// <param name="Containers">Its containers.</param>
public sealed record ManagedUnit(
    string UnitName,
    AutoUpdatePolicy Policy,
    string ImageReference,
    string ImageId,
    IReadOnlyList<string> RepoDigests,
    IReadOnlyList<ManagedContainer> Containers);
