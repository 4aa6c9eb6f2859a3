namespace UpdateAgent.Podman;

/// <summary>The result of a successful pull.</summary>
/// <param name="Reference">The reference pulled (<c>repo@sha256:…</c>).</param>
/// <param name="ImageId">ID of the image now in local storage (<c>sha256:…</c>).</param>
public sealed record PulledImage(string Reference, string ImageId);
