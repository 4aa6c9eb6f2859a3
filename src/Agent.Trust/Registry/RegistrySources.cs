namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Where an image is read from, as podman reads it under <c>registries.conf</c>: the mirrors of the
/// namespace with the longest matching prefix, in order, then its location (the name itself when no
/// namespace matches). Trust never depends on the place: names, policy rules and signatures stay
/// those of the logical reference, and every byte read is checked against its digest.
/// </summary>
public sealed class RegistrySources
{
    private readonly IReadOnlyList<RegistryNamespace> _namespaces;

    /// <summary>Sources for <paramref name="namespaces"/> (later entries with a prefix already seen have replaced earlier ones).</summary>
    public RegistrySources(IReadOnlyList<RegistryNamespace> namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        _namespaces = namespaces;
    }

    /// <summary>No mirrors, no rewriting, nothing blocked.</summary>
    public static RegistrySources None { get; } = new([]);

    /// <summary>The namespaces read from the configuration.</summary>
    public IReadOnlyList<RegistryNamespace> Namespaces => _namespaces;

    /// <summary>The namespace that governs <paramref name="image"/>, or null.</summary>
    public RegistryNamespace? For(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Match(image.ToString()).Namespace;
    }

    /// <summary>
    /// The physical references to read <paramref name="image"/> from, in order; the last is the
    /// primary location. <paramref name="byDigest"/> says whether the read names a digest (mirrors
    /// marked <c>digest-only</c> or <c>tag-only</c> serve only one kind).
    /// </summary>
    /// <exception cref="RegistryException">The namespace is blocked (<see cref="RegistryFailure.Blocked"/>), or a location does not form a valid reference.</exception>
    public IReadOnlyList<ImageReference> Locations(ImageReference image, bool byDigest)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = image.ToString();
        var (matched, length) = Match(name);
        if (matched is null)
        {
            return [image];
        }
        if (matched.Blocked)
        {
            throw new RegistryException(RegistryFailure.Blocked,
                $"{image.Name}: blocked in {matched.Source} ([[registry]] prefix \"{matched.Prefix}\" has blocked = true); podman will not pull it either");
        }
        var found = new List<ImageReference>(matched.Mirrors.Count + 1);
        foreach (var mirror in matched.Mirrors)
        {
            if (mirror.Serves(byDigest))
            {
                found.Add(Physical(RegistryNamespace.Rewrite(name, length, mirror.Location), matched));
            }
        }
        found.Add(Physical(RegistryNamespace.Rewrite(name, length, matched.Location), matched));
        return found;
    }

    private (RegistryNamespace? Namespace, int Length) Match(string name)
    {
        RegistryNamespace? best = null;
        var bestLength = -1;
        foreach (var candidate in _namespaces)
        {
            var length = candidate.MatchLength(name);
            if (length > bestLength)
            {
                (best, bestLength) = (candidate, length);
            }
        }
        return (best, bestLength);
    }

    private static ImageReference Physical(string text, RegistryNamespace from) =>
        ImageReference.TryParse(text, out var reference, out var error)
            ? reference
            : throw new RegistryException(RegistryFailure.Malformed, $"{from.Source}: [[registry]] prefix \"{from.Prefix}\" maps to '{text}', which is not an image reference: {error}");
}
