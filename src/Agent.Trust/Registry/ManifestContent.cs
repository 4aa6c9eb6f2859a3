using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>A manifest or index exactly as the registry served it, with the digest of those bytes.</summary>
public sealed class ManifestContent
{
    internal ManifestContent(string digest, string mediaType, byte[] bytes, OciManifest parsed)
    {
        Digest = digest;
        MediaType = mediaType;
        Bytes = bytes;
        Parsed = parsed;
    }

    /// <summary>SHA-256 of <see cref="Bytes"/>, computed here, never taken from a header.</summary>
    public string Digest { get; }

    /// <summary>The manifest's media type (from the body when it names one, else from Content-Type).</summary>
    public string MediaType { get; }

    /// <summary>The exact bytes received.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Whether this is an index or manifest list rather than an image manifest.</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    internal OciManifest Parsed { get; }
}
