namespace UpdateAgent.Trust.Registry;

/// <summary>The facts an image's config blob states about it (labels are set by whoever built it, so unsigned).</summary>
/// <param name="Digest">Digest of the config blob.</param>
/// <param name="Created">The config's <c>created</c> time, or the <c>org.opencontainers.image.created</c> label.</param>
/// <param name="Labels">Every label.</param>
public sealed record ImageConfigFacts(string Digest, DateTimeOffset? Created, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Label naming the source repository.</summary>
    public const string SourceLabel = "org.opencontainers.image.source";

    /// <summary>Label with the build time.</summary>
    public const string CreatedLabel = "org.opencontainers.image.created";

    /// <summary>Label with the source revision.</summary>
    public const string RevisionLabel = "org.opencontainers.image.revision";

    /// <summary>Label with the version.</summary>
    public const string VersionLabel = "org.opencontainers.image.version";

    /// <summary>The source label, if any.</summary>
    public string? Source => Labels.GetValueOrDefault(SourceLabel);

    /// <summary>The revision label, if any.</summary>
    public string? Revision => Labels.GetValueOrDefault(RevisionLabel);

    /// <summary>The version label, if any.</summary>
    public string? Version => Labels.GetValueOrDefault(VersionLabel);
}
