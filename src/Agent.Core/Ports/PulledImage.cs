namespace UpdateAgent.Core.Ports;

/// <summary>An image pulled by digest.</summary>
/// <param name="Reference">What was pulled (<c>repo@sha256:…</c>).</param>
/// <param name="ImageId">The local image ID.</param>
public sealed record PulledImage(string Reference, string ImageId);
