using System.Text.RegularExpressions;

namespace UpdateAgent.Podman;

/// <summary>
/// Checks the names and references passed in before they go into a URL, and splits tag references,
/// so bad input fails here with a clear message rather than as a confusing podman answer.
/// </summary>
internal static partial class References
{
    private const int MaxLength = 512;

    /// <summary>Container names, IDs, image names and references: nothing that could change the URL's meaning.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();

    /// <summary>Returns <paramref name="value"/> when it is a plausible container or image name; throws otherwise.</summary>
    public static string RequireName(string value, string what)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !NamePattern().IsMatch(value))
        {
            throw new ArgumentException($"'{Shown(value)}' is not a valid {what} name or reference", what);
        }
        return value;
    }

    /// <summary>Splits <c>repo:tag</c>; throws for a digest reference or a missing tag.</summary>
    public static (string Repository, string Tag) SplitTag(string reference)
    {
        RequireName(reference, "tag");
        var colon = reference.LastIndexOf(':');
        if (reference.Contains('@', StringComparison.Ordinal) || colon <= reference.LastIndexOf('/'))
        {
            throw new ArgumentException($"'{reference}' is not a repo:tag reference", nameof(reference));
        }
        var tag = reference[(colon + 1)..];
        if (!TagPattern().IsMatch(tag))
        {
            throw new ArgumentException($"'{reference}' has an invalid tag '{tag}'", nameof(reference));
        }
        return (reference[..colon], tag);
    }

    /// <summary>Splits <c>repo@sha256:…</c>; throws unless the reference is by a well-formed sha256 digest.</summary>
    public static (string Repository, string Digest) SplitDigest(string reference)
    {
        RequireName(reference, "image");
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || !DigestPattern().IsMatch(reference[(at + 1)..]))
        {
            throw new ArgumentException($"'{reference}' is not a reference by digest (repo@sha256:<64 hex digits>)", nameof(reference));
        }
        return (reference[..at], reference[(at + 1)..]);
    }

    private static string Shown(string? value) => value is null ? "" : value.Length <= 80 ? value : value[..80] + "…";
}
