namespace UpdateAgent.Core.Ports;

/// <summary>Which image a local tag names, and that image's registry digests.</summary>
/// <param name="Reference">The tag (<c>repo:tag</c>).</param>
/// <param name="ImageId">The image it names.</param>
/// <param name="Digests">The image's digests in that repository (<c>sha256:…</c>).</param>
public sealed record LocalTag(string Reference, string ImageId, IReadOnlyList<string> Digests);
