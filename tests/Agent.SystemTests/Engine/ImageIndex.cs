using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>Builds an OCI image index from manifests already in the loopback registry and pushes it under a tag.</summary>
internal static class ImageIndex
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>One entry: a manifest digest and its annotations.</summary>
    public sealed record Entry(string Digest, IReadOnlyDictionary<string, string>? Annotations = null);

    /// <summary>Pushes an index of <paramref name="entries"/> (each for this host's platform) as <c>REPOSITORY:TAG</c>; returns its digest.</summary>
    public static async Task<string> PushAsync(string registry, string repositoryPath, string tag, params Entry[] entries)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}/"), Timeout = TimeSpan.FromSeconds(30) };
        var manifests = new JsonArray();
        foreach (var entry in entries)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repositoryPath}/manifests/{entry.Digest}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciManifest));
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var descriptor = new JsonObject
            {
                ["mediaType"] = OciManifest,
                ["digest"] = entry.Digest,
                ["size"] = bytes.Length,
                ["platform"] = new JsonObject { ["architecture"] = Architecture(), ["os"] = "linux" },
            };
            if (entry.Annotations is { Count: > 0 } annotations)
            {
                var node = new JsonObject();
                foreach (var (key, value) in annotations)
                {
                    node[key] = value;
                }
                descriptor["annotations"] = node;
            }
            manifests.Add(descriptor);
        }
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciIndex, ["manifests"] = manifests };
        var body = Encoding.UTF8.GetBytes(index.ToJsonString());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciIndex);
        using var put = await http.PutAsync($"v2/{repositoryPath}/manifests/{tag}", content);
        put.EnsureSuccessStatusCode();
        return "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
    }

    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The annotation containers/image reads to prefer an entry as the zstd variant of an image.</summary>
    public static readonly IReadOnlyDictionary<string, string> Zstd = new Dictionary<string, string> { ["io.github.containers.compression.zstd"] = "true" };
}
