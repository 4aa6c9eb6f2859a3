using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Checks what the JSON reader cannot: a manifest, index or referrers list that anyone can push
/// must hold no <c>null</c> entries, no negative sizes and no <c>null</c> annotation values, so
/// that nothing past the parser has to defend against them.
/// </summary>
internal static class ManifestShape
{
    /// <summary>The first thing wrong with <paramref name="manifest"/>'s shape, or null when it is sound.</summary>
    public static string? Problem(OciManifest manifest) =>
        Descriptor(manifest.Config, "config")
        ?? Descriptor(manifest.Subject, "subject")
        ?? Annotations(manifest.Annotations, "annotations")
        ?? Descriptors(manifest.Layers, "layers")
        ?? Descriptors(manifest.Manifests, "manifests");

    private static string? Descriptors(List<OciDescriptor>? list, string name)
    {
        if (list is null)
        {
            return null;
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not { } descriptor)
            {
                return $"{name}[{i}] is null";
            }
            if (Descriptor(descriptor, $"{name}[{i}]") is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    private static string? Descriptor(OciDescriptor? descriptor, string name)
    {
        if (descriptor is null)
        {
            return null;
        }
        if (descriptor.Size < 0)
        {
            return $"{name}.size is {descriptor.Size}, a size cannot be negative";
        }
        return Annotations(descriptor.Annotations, $"{name}.annotations");
    }

    private static string? Annotations(Dictionary<string, string>? annotations, string name)
    {
        if (annotations is null)
        {
            return null;
        }
        foreach (var (key, value) in annotations)
        {
            if (value is null)
            {
                return $"{name}[\"{key}\"] is null, not a string";
            }
        }
        return null;
    }
}
