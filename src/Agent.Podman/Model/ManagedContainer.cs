namespace UpdateAgent.Podman;

/// <summary>One running container that takes part in updates.</summary>
/// <param name="Id">Full container ID.</param>
/// <param name="Name">Container name (no leading slash).</param>
/// <param name="Policy">Its <c>io.containers.autoupdate</c> policy.</param>
/// <param name="ImageReference">The reference it was created from (<c>Config.Image</c>), e.g. <c>registry.example/app:latest</c>.</param>
/// <param name="ImageId">ID of the image it runs (<c>sha256:…</c>).</param>
/// <param name="PodName">Name of its pod, or <see langword="null"/> when it is not in one.</param>
/// <param name="AutoUpdateLabels">Its labels whose key starts with <c>io.containers.autoupdate.</c> (per-container settings such as health gates).</param>
public sealed record ManagedContainer(
    string Id,
    string Name,
    AutoUpdatePolicy Policy,
    string ImageReference,
    string ImageId,
    string? PodName,
    IReadOnlyDictionary<string, string> AutoUpdateLabels);
