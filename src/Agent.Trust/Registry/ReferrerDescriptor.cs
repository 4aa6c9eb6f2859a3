namespace UpdateAgent.Trust.Registry;

/// <summary>One manifest that refers to a subject (from the referrers API or its fallback tag).</summary>
/// <param name="Digest">The referring manifest's digest.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="ArtifactType">Its artifact type, if stated.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Annotations">Its annotations.</param>
public sealed record ReferrerDescriptor(string Digest, string? MediaType, string? ArtifactType, long Size, IReadOnlyDictionary<string, string> Annotations);
