namespace UpdateAgent.Trust.Policy;

/// <summary>Where the required source of an image is read from.</summary>
public enum SourceOrigin
{
    /// <summary>The <c>org.opencontainers.image.source</c> label.</summary>
    Label,

    /// <summary>The keyless signing certificate's source or workflow repository.</summary>
    Certificate,

    /// <summary>Either of the two.</summary>
    Any,
}

/// <summary>What an image (matched by repository) must satisfy before a unit may move to it.</summary>
public sealed class ImagePolicy
{
    /// <summary>Repository pattern: <c>registry/path</c> exactly, or ending in <c>/*</c> for everything below.</summary>
    public required string Repository { get; init; }

    /// <summary>Authorities that must all have signed.</summary>
    public required IReadOnlyList<string> SignedBy { get; init; }

    /// <summary>The authority whose signature must carry <see cref="BlessAnnotations"/>; null: any of <see cref="SignedBy"/>.</summary>
    public string? BlessedBy { get; init; }

    /// <summary>Annotations a required signature must carry, e.g. <c>stage=prod</c>.</summary>
    public IReadOnlyDictionary<string, string> BlessAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Required source repository URL, or null for no source rule.</summary>
    public string? Source { get; init; }

    /// <summary>Where the source is read from.</summary>
    public SourceOrigin SourceFrom { get; init; } = SourceOrigin.Label;

    /// <summary>Refuse candidates older (created time or version) than the running image.</summary>
    public bool AntiDowngrade { get; init; } = true;

    /// <summary>Digests never to accept for this repository.</summary>
    public IReadOnlySet<string> Revoked { get; init; } = new HashSet<string>();

    /// <summary>Whether this policy covers <paramref name="name"/> (<c>registry/repository</c>).</summary>
    public bool Matches(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Repository.EndsWith("/*", StringComparison.Ordinal)
            ? name.StartsWith(Repository[..^1], StringComparison.Ordinal)
            : string.Equals(name, Repository, StringComparison.Ordinal);
    }
}
