namespace UpdateAgent.Trust.Registry;

/// <summary>
/// What a tag or digest resolved to. For a multi-platform image both digests are kept:
/// <see cref="Digest"/> (the index, what a tag points to and what cosign signs) and
/// <see cref="PlatformDigest"/> (the manifest this host would run).
/// </summary>
/// <param name="Reference">The reference that was resolved.</param>
/// <param name="Digest">Digest the reference points to (index digest for multi-platform images).</param>
/// <param name="PlatformDigest">Digest of the image manifest for this host's platform; equals <paramref name="Digest"/> for a single-platform image.</param>
/// <param name="Manifest">The platform image manifest.</param>
public sealed record ResolvedImage(ImageReference Reference, string Digest, string PlatformDigest, ManifestContent Manifest)
{
    /// <summary>Whether the reference points to an index.</summary>
    public bool IsIndex => !string.Equals(Digest, PlatformDigest, StringComparison.Ordinal);
}
