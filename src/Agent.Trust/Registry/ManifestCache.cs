using System.Collections.Concurrent;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Manifests by digest, per repository. Content addressed, so an entry can never be stale: a
/// tag resolved once is not fetched again by digest in the same pass. Bounded by dropping
/// everything when full (a pass touches few manifests; simplicity beats an LRU here).
/// </summary>
internal sealed class ManifestCache
{
    private const int Capacity = 512;
    private readonly ConcurrentDictionary<string, ManifestContent> _entries = new(StringComparer.Ordinal);

    public ManifestContent? TryGet(string repository, string digest) =>
        _entries.TryGetValue($"{repository}@{digest}", out var content) ? content : null;

    public void Add(string repository, ManifestContent content)
    {
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }
        _entries[$"{repository}@{content.Digest}"] = content;
    }
}
