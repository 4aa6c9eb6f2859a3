namespace UpdateAgent.Podman;

/// <summary>What a local tag points to.</summary>
/// <param name="Reference">The tag asked about (<c>repo:tag</c>).</param>
/// <param name="ImageId">ID of the image the tag names.</param>
/// <param name="Digests">
/// The manifest digests (<c>sha256:…</c>) that image is known by in the tag's repository, in podman's order;
/// empty for an image that never came from (or went to) a registry under that name.
/// </param>
public sealed record LocalTag(string Reference, string ImageId, IReadOnlyList<string> Digests);
