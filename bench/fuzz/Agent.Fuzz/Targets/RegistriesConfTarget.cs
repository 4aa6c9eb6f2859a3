using System.Text;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A <c>registries.conf</c>, then where a few images would be pulled from under it (mirrors,
/// rewritten locations, blocked namespaces) and its insecure hosts. Handled:
/// <see cref="FormatException"/> from Parse, and <see cref="RegistryException"/> from Locations
/// (a blocked namespace, a location that forms no valid reference), both documented.
/// </summary>
internal static class RegistriesConfTarget
{
    public static FuzzTarget Target { get; } = new("registries-conf", "FormatException (parse), RegistryException (locations)", Run);

    private static readonly ImageReference[] Images =
    [
        ImageReference.Parse("docker.io/library/nginx:1"),
        ImageReference.Parse("registry.test/acme/app@sha256:" + new string('a', 64)),
        ImageReference.Parse("registry.test:5000/a/b/c:tag"),
    ];

    private static void Run(byte[] input)
    {
        IReadOnlyList<RegistryNamespace> namespaces;
        try
        {
            namespaces = RegistriesConf.Parse(Encoding.UTF8.GetString(input), "fuzz/registries.conf");
        }
        catch (FormatException)
        {
            return;
        }
        var sources = new RegistrySources(namespaces);
        RegistriesConf.InsecureHosts(sources);
        foreach (var image in Images)
        {
            sources.For(image);
            try
            {
                sources.Locations(image, byDigest: image.Digest is not null);
            }
            catch (RegistryException)
            {
            }
        }
    }
}
