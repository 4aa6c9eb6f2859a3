namespace UpdateAgent.Core.History;

/// <summary>
/// One digest update-agent verified for a unit: what the trust policy judged and what the unit
/// runs because of it. The newest entry of a unit is what it should run; every pass compares
/// what really runs with it.
/// </summary>
/// <param name="Unit">The unit.</param>
/// <param name="Image">The unit's image reference.</param>
/// <param name="Digest">The digest that was verified (an index or a single image manifest).</param>
/// <param name="PlatformDigest">The image manifest for this host that was judged and pulled (equals <paramref name="Digest"/> for a single-platform image).</param>
/// <param name="ImageId">The local image ID the unit runs on it, when known (empty otherwise).</param>
/// <param name="How">How the entry came to be: <c>adopted</c>, <c>updated</c>, <c>restored</c>, <c>rolled back</c>, <c>rollback</c>.</param>
/// <param name="Signers">Authorities whose signatures verified, comma-separated.</param>
/// <param name="Summary">The verdict in a line.</param>
/// <param name="At">When.</param>
public sealed record LedgerEntry(
    string Unit, string Image, string Digest, string PlatformDigest, string ImageId, string How, string Signers, string Summary, DateTimeOffset At)
{
    /// <summary>The version its signature stated, if any: what the next candidate's signed version is compared with.</summary>
    public string? SignedVersion { get; init; }

    /// <summary>Whether a unit whose image is <paramref name="imageId"/>, with <paramref name="repoDigests"/> in its repository, runs exactly this entry.</summary>
    public bool IsRunBy(string imageId, IReadOnlyCollection<string> repoDigests)
    {
        ArgumentNullException.ThrowIfNull(repoDigests);
        // The image ID is the config digest: the strongest name of what runs. A repository digest
        // of the platform manifest is as good; an index digest alone is not (it says nothing about
        // which entry podman chose).
        return (ImageId.Length > 0 && string.Equals(ImageId, imageId, StringComparison.Ordinal))
            || repoDigests.Contains(PlatformDigest, StringComparer.Ordinal);
    }
}
