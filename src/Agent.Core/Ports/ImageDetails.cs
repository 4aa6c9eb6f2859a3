namespace UpdateAgent.Core.Ports;

/// <summary>What the engine reads of a local image: its tags (to prune) and creation and labels (to compare versions).</summary>
/// <param name="Id">The image ID.</param>
/// <param name="RepoTags">Its tags (<c>repo:tag</c>).</param>
/// <param name="Created">When it was built, when known.</param>
/// <param name="Labels">Its labels.</param>
public sealed record ImageDetails(string Id, IReadOnlyList<string> RepoTags, DateTimeOffset? Created, IReadOnlyDictionary<string, string> Labels);
