namespace UpdateAgent.Podman;

/// <summary>An image in local storage.</summary>
/// <param name="Id">Image ID (<c>sha256:…</c>).</param>
/// <param name="RepoTags">Tags pointing at it (<c>repo:tag</c>).</param>
/// <param name="RepoDigests">Digests it is known by (<c>repo@sha256:…</c>); one repository may list several.</param>
/// <param name="Created">When the image was built, if it says.</param>
/// <param name="Labels">Its configuration labels.</param>
public sealed record ImageDetails(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    DateTimeOffset? Created,
    IReadOnlyDictionary<string, string> Labels);
