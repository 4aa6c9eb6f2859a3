using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>Picks the entry of an index that this host would run (OCI image-spec platform matching).</summary>
internal static class PlatformSelector
{
    /// <summary>The best descriptor for <paramref name="platform"/>, or null when the index has none.</summary>
    public static OciDescriptor? Select(OciManifest index, ImagePlatform platform)
    {
        OciDescriptor? fallback = null;
        foreach (var entry in index.Manifests ?? [])
        {
            if (!MediaTypes.IsImageManifest(entry.MediaType) && !MediaTypes.IsIndex(entry.MediaType))
            {
                continue;
            }
            if (entry.Annotations?.GetValueOrDefault("vnd.docker.reference.type") == "attestation-manifest")
            {
                continue;
            }
            var p = entry.Platform;
            if (p is null || p.Os != platform.Os || p.Architecture != platform.Architecture)
            {
                continue;
            }
            var variant = p.Variant ?? (p.Architecture == "arm64" ? "v8" : null);
            if (variant == platform.Variant)
            {
                return entry;
            }
            fallback ??= entry;
        }
        return fallback;
    }
}
