using System.Security.Cryptography;

namespace UpdateAgent.References;

/// <summary>Helpers for <c>sha256:&lt;hex&gt;</c> content digests: validation, computation and the cosign tag forms.</summary>
public static class DigestValue
{
    private const string Prefix = "sha256:";

    /// <summary>Whether <paramref name="digest"/> is <c>sha256:</c> followed by 64 lower-case hex digits.</summary>
    public static bool IsValid(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith(Prefix, StringComparison.Ordinal) && digest.AsSpan(7).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>Returns <paramref name="digest"/> or throws <see cref="FormatException"/> if it is not a valid digest.</summary>
    public static string Require(string digest) =>
        IsValid(digest) ? digest : throw new FormatException($"'{digest}' is not a sha256 digest");

    /// <summary>The digest of exactly <paramref name="content"/>.</summary>
    public static string Of(ReadOnlySpan<byte> content) => Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The 64 hex digits of <paramref name="digest"/>.</summary>
    public static string Hex(string digest) => Require(digest)[Prefix.Length..];

    /// <summary>The referrers fallback tag: <c>sha256-&lt;hex&gt;</c>.</summary>
    public static string ReferrersTag(string digest) => "sha256-" + Hex(digest);

    /// <summary>The tag cosign stores signatures under: <c>sha256-&lt;hex&gt;.sig</c>.</summary>
    public static string SignatureTag(string digest) => ReferrersTag(digest) + ".sig";
}
