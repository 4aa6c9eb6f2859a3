using System.Globalization;

namespace UpdateAgent.Trust.Registry;

/// <summary>The facts an image's config blob states about it (labels are set by whoever built it, so unsigned).</summary>
/// <param name="Digest">Digest of the config blob.</param>
/// <param name="Created">The <c>org.opencontainers.image.created</c> label, else the config's <c>created</c> time.</param>
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

    /// <summary>The config's own <c>created</c> time, unless it is a reproducible build's epoch.</summary>
    public DateTimeOffset? ConfigCreated { get; init; }

    /// <summary>The <c>org.opencontainers.image.created</c> label's time, if it states one.</summary>
    public DateTimeOffset? LabelCreated => StatedTime(Labels.GetValueOrDefault(CreatedLabel));

    /// <summary>Reads an RFC 3339 time as a label or config states it; null when absent or unreadable.</summary>
    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;

    /// <summary>
    /// A build time that says something: reproducible builds (SOURCE_DATE_EPOCH=0, some Nix and
    /// ko builds) write the epoch, which states no age at all.
    /// </summary>
    public static DateTimeOffset? Stated(DateTimeOffset? time) => time is { } t && t > DateTimeOffset.UnixEpoch.AddDays(1) ? t : null;

    /// <summary>A build time as a label or config writes it, when it states one (<see cref="ParseTime"/>, then <see cref="Stated"/>).</summary>
    public static DateTimeOffset? StatedTime(string? text) => Stated(ParseTime(text));

    /// <summary>The source label, if any.</summary>
    public string? Source => Labels.GetValueOrDefault(SourceLabel);

    /// <summary>The revision label, if any.</summary>
    public string? Revision => Labels.GetValueOrDefault(RevisionLabel);

    /// <summary>The version label, if any.</summary>
    public string? Version => Labels.GetValueOrDefault(VersionLabel);
}
