namespace UpdateAgent.Trust.Registry;

/// <summary>When a mirror is used, from <c>registries.conf</c>'s <c>pull-from-mirror</c>.</summary>
public enum MirrorUse
{
    /// <summary>For tags and digests (<c>all</c>, the default).</summary>
    All,

    /// <summary>Only for references by digest (<c>digest-only</c>, or the namespace's <c>mirror-by-digest-only</c>).</summary>
    DigestOnly,

    /// <summary>Only for references by tag (<c>tag-only</c>).</summary>
    TagOnly,
}

/// <summary>One <c>[[registry.mirror]]</c>: where else the namespace's images may be read.</summary>
/// <param name="Location">Physical location replacing the namespace's prefix, e.g. <c>mirror.example/quay</c>.</param>
/// <param name="Insecure">Reached over plain HTTP.</param>
/// <param name="Use">Which references it serves.</param>
public sealed record RegistryMirror(string Location, bool Insecure, MirrorUse Use)
{
    /// <summary>Whether this mirror is consulted for a reference by digest (or by tag).</summary>
    public bool Serves(bool byDigest) => Use == MirrorUse.All || (Use == MirrorUse.DigestOnly) == byDigest;
}

/// <summary>
/// One <c>[[registry]]</c> table of <c>registries.conf</c>: the images whose name starts with
/// <see cref="Prefix"/> are read from <see cref="Mirrors"/> in order and then from <see cref="Location"/>,
/// or not at all when <see cref="Blocked"/>.
/// </summary>
/// <param name="Prefix">The logical name prefix (<c>host[:port][/path]</c>, or <c>*.domain</c>).</param>
/// <param name="Location">Physical location of the prefix; empty for a wildcard prefix read where it is named.</param>
/// <param name="Insecure">The location is reached over plain HTTP.</param>
/// <param name="Blocked">Images with this prefix must not be pulled.</param>
/// <param name="Mirrors">Mirrors, tried in order before the location.</param>
/// <param name="Source">The file that defined it, for messages.</param>
public sealed record RegistryNamespace(string Prefix, string Location, bool Insecure, bool Blocked, IReadOnlyList<RegistryMirror> Mirrors, string Source)
{
    /// <summary>Whether the prefix is a <c>*.domain</c> wildcard, which matches the host's subdomains.</summary>
    public bool IsWildcard => Prefix.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>
    /// How many characters of <paramref name="name"/> (an image reference as text) the prefix covers,
    /// or -1 when it does not apply. A prefix must end where the name has a path, tag or digest
    /// separator; a bare host does not cover the same host on another port.
    /// </summary>
    public int MatchLength(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hostEnd = name.IndexOf('/', StringComparison.Ordinal);
        if (IsWildcard)
        {
            var host = hostEnd < 0 ? name : name[..hostEnd];
            var domain = Prefix[1..]; // ".domain"
            return host.Length > domain.Length && host.EndsWith(domain, StringComparison.OrdinalIgnoreCase) ? host.Length : -1;
        }
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return -1;
        }
        if (name.Length == Prefix.Length)
        {
            return Prefix.Length;
        }
        var next = name[Prefix.Length];
        var prefixIsHostOnly = !Prefix.Contains('/', StringComparison.Ordinal);
        return next == '/' || next == '@' || (next == ':' && !prefixIsHostOnly) ? Prefix.Length : -1;
    }

    /// <summary>Where the name is read from: <paramref name="location"/> in place of the <paramref name="matched"/> characters.</summary>
    public static string Rewrite(string name, int matched, string location) =>
        location.Length == 0 ? name : location + name[matched..];
}
