using System.Text;
using System.Text.Json.Nodes;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>Builds small but valid OCI images (config + one layer) and multi-platform indexes in an <see cref="InMemoryRegistry"/>.</summary>
internal static class TestImages
{
    public static string Push(InMemoryRegistry registry, string repository, IDictionary<string, string>? labels = null, string tag = "latest", string? created = null, string architecture = "amd64")
    {
        var labelNode = new JsonObject();
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            labelNode[key] = value;
        }
        var layer = Encoding.UTF8.GetBytes("layer " + Guid.NewGuid());
        var layerDigest = registry.PutBlob(layer);
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["created"] = created ?? "2026-11-01T00:00:00Z",
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Labels"] = labelNode },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layerDigest) },
        }.ToJsonString());
        var configDigest = registry.PutBlob(config);
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = new JsonObject { ["mediaType"] = MediaTypes.OciConfig, ["digest"] = configDigest, ["size"] = config.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar", ["digest"] = layerDigest, ["size"] = layer.Length }),
        }.ToJsonString());
        return registry.PutManifest(repository, tag, manifest, MediaTypes.OciManifest);
    }

    /// <summary>An index over one image per platform; returns the index digest and the child digests.</summary>
    public static (string Index, Dictionary<string, string> Children) PushIndex(InMemoryRegistry registry, string repository, IDictionary<string, string>? labels, params string[] architectures)
    {
        var children = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new JsonArray();
        foreach (var arch in architectures)
        {
            var digest = Push(registry, repository, labels, tag: "child-" + arch, architecture: arch);
            children[arch] = digest;
            var bytes = registry.ManifestBytes(repository, digest);
            entries.Add(new JsonObject
            {
                ["mediaType"] = MediaTypes.OciManifest,
                ["digest"] = digest,
                ["size"] = bytes.Length,
                ["platform"] = new JsonObject { ["architecture"] = arch, ["os"] = "linux" },
            });
        }
        var index = Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = entries }.ToJsonString());
        return (registry.PutManifest(repository, "latest", index, MediaTypes.OciIndex), children);
    }
}
