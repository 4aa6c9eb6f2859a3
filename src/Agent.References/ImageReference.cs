using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace UpdateAgent.References;

/// <summary>
/// A parsed image reference <c>host[:port]/path[:tag][@digest]</c>, normalised the way
/// container tools spell it (a first component without <c>.</c> or <c>:</c> that is not
/// <c>localhost</c> means Docker Hub; single-component Hub names gain <c>library/</c>).
/// </summary>
public sealed partial record ImageReference
{
    /// <summary>Registry host as written or implied, e.g. <c>registry.example.com:5000</c> or <c>docker.io</c>.</summary>
    public string Registry { get; }

    /// <summary>Repository path inside the registry, e.g. <c>team/app</c>.</summary>
    public string Repository { get; }

    /// <summary>Tag, when the reference names one.</summary>
    public string? Tag { get; }

    /// <summary>Digest (<c>sha256:&lt;hex&gt;</c>), when the reference names one.</summary>
    public string? Digest { get; }

    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry plus repository without tag or digest, e.g. <c>registry.example.com/team/app</c>.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The host the distribution API is served from (Docker Hub's API lives on another host than its name).</summary>
    public string ApiHost => IsDockerHub(Registry) ? "registry-1.docker.io" : Registry;

    /// <summary>Tag or digest to ask the registry for; <c>latest</c> when neither is given.</summary>
    public string ReferenceForFetch => Digest ?? Tag ?? "latest";

    /// <summary>The same repository pinned to <paramref name="digest"/>.</summary>
    public ImageReference WithDigest(string digest) => new(Registry, Repository, Tag, DigestValue.Require(digest));

    /// <summary>The same repository with another tag and no digest.</summary>
    public ImageReference WithTag(string tag) => new(Registry, Repository, tag, null);

    /// <inheritdoc />
    public override string ToString() =>
        Name + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>Whether <paramref name="repository"/> (as a signature's <c>docker-reference</c> spells it) names this repository.</summary>
    public bool IsSameRepository(string repository)
    {
        if (!TryParse(repository, out var other) || other.Tag is not null || other.Digest is not null)
        {
            return false;
        }
        return string.Equals(other.Repository, Repository, StringComparison.Ordinal)
            && string.Equals(CanonicalRegistry(other.Registry), CanonicalRegistry(Registry), StringComparison.Ordinal);
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/> without throwing.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ImageReference? reference) => TryParse(text, out reference, out _);

    /// <summary>Parses <paramref name="text"/> and says why it is not a reference when it is not.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ImageReference? reference, out string error)
    {
        reference = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 1024)
        {
            error = "an image reference must be 1 to 1024 characters";
            return false;
        }
        var rest = text.StartsWith("docker://", StringComparison.Ordinal) ? text["docker://".Length..] : text;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestValue.IsValid(digest))
            {
                error = $"'{digest}' is not a sha256 digest (sha256: and 64 lower-case hex digits)";
                return false;
            }
        }
        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"'{tag}' is not a valid tag";
                return false;
            }
        }
        string registry;
        string repository;
        var firstSlash = rest.IndexOf('/', StringComparison.Ordinal);
        var first = firstSlash < 0 ? string.Empty : rest[..firstSlash];
        if (firstSlash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            registry = first;
            repository = rest[(firstSlash + 1)..];
        }
        else
        {
            registry = "docker.io";
            repository = rest;
        }
        if (IsDockerHub(registry))
        {
            registry = "docker.io";
            if (!repository.Contains('/', StringComparison.Ordinal))
            {
                repository = "library/" + repository;
            }
        }
        if (!RepositoryPattern().IsMatch(repository) || repository.Length > 255)
        {
            error = $"'{repository}' is not a valid repository name (lower-case letters, digits, separators)";
            return false;
        }
        reference = new ImageReference(registry, repository, tag, digest);
        return true;
    }

    private static bool IsDockerHub(string registry) =>
        registry is "docker.io" or "index.docker.io" or "registry-1.docker.io";

    private static string CanonicalRegistry(string registry) => IsDockerHub(registry) ? "docker.io" : registry;

    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
