using System.Text;
using System.Text.Json.Nodes;
using UpdateAgent.Trust.Bundles;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

/// <summary>
/// Anyone who can push to a repository can attach a bundle: every value of a valid one, and of the
/// statement and log entry inside it, is replaced by null, another type, a huge or negative number
/// and an empty container. Reading and checking must end in a refusal with a reason, never an exception.
/// </summary>
public sealed class BundleMutationTests : KeylessTestBase
{
    private static readonly Func<JsonNode?>[] Replacements =
    [
        () => null, () => JsonValue.Create(-1), () => JsonValue.Create(long.MaxValue), () => JsonValue.Create("1e400"),
        () => JsonValue.Create("not base64 !"), () => new JsonObject(), () => new JsonArray(), () => new JsonArray((JsonNode?)null), () => JsonValue.Create(true),
    ];

    [Fact]
    public void Every_value_replaced_by_hostile_data_is_refused_with_a_reason_and_never_throws()
    {
        var (leaf, key) = Fulcio.IssueLeaf(Now.AddMinutes(-1));
        JsonObject bundle;
        using (key)
        {
            bundle = KeylessBundleFactory.Bundle(Fulcio, leaf, key, "sha256:" + new string('a', 64), new BundleShape { IntegratedAt = Now, WithSet = true });
        }
        var authority = H.Policy(extraAuthorities: Fulcio.AuthorityToml("release")).Authorities["release"];
        var image = TrustHarness.Image.WithDigest("sha256:" + new string('a', 64));
        var original = bundle.ToJsonString();
        Assert.True(AuthorityVerifier.Check(authority, SigstoreBundle.ToEvidence(Encoding.UTF8.GetBytes(original), "bundle"), image, "sha256:" + new string('a', 64)).Verified);

        var variants = 0;
        foreach (var mutated in Mutations(JsonNode.Parse(original)!))
        {
            variants++;
            var text = mutated.ToJsonString();
            var evidence = SigstoreBundle.ToEvidence(Encoding.UTF8.GetBytes(text), "bundle");
            var check = AuthorityVerifier.Check(authority, evidence, image, "sha256:" + new string('a', 64));
            if (!check.Verified)
            {
                Assert.False(string.IsNullOrWhiteSpace(check.Failure!.Message), text);
            }
        }
        Assert.True(variants > 300, $"only {variants} variants");
    }

    /// <summary>Every single-node replacement, including inside the base64 statement and log entry body.</summary>
    private static IEnumerable<JsonNode> Mutations(JsonNode document)
    {
        foreach (var path in Paths(document, []))
        {
            foreach (var replacement in Replacements)
            {
                yield return Replace(document, path, _ => replacement());
            }
            if (Get(document, path) is JsonValue value && value.TryGetValue<string>(out var text) && TryJson(text) is { } inner)
            {
                // A base64 JSON document (the DSSE payload, the canonicalized log entry): mutate inside and encode again.
                foreach (var innerPath in Paths(inner, []))
                {
                    foreach (var replacement in Replacements)
                    {
                        var changed = Replace(inner, innerPath, _ => replacement());
                        yield return Replace(document, path, _ => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(changed.ToJsonString()))));
                    }
                }
            }
        }
    }

    private static JsonNode? TryJson(string base64)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64);
            return bytes.Length > 0 && bytes[0] == (byte)'{' ? JsonNode.Parse(bytes) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IEnumerable<List<object>> Paths(JsonNode? node, List<object> prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    List<object> path = [.. prefix, name];
                    yield return path;
                    foreach (var deeper in Paths(child, path))
                    {
                        yield return deeper;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    List<object> path = [.. prefix, i];
                    yield return path;
                    foreach (var deeper in Paths(array[i], path))
                    {
                        yield return deeper;
                    }
                }
                break;
        }
    }

    private static JsonNode? Get(JsonNode root, List<object> path) =>
        path.Aggregate<object, JsonNode?>(root, (node, step) => step is string name ? node![name] : node![(int)step]);

    private static JsonNode Replace(JsonNode root, List<object> path, Func<JsonNode?, JsonNode?> with)
    {
        var copy = root.DeepClone();
        var parent = Get(copy, path[..^1])!;
        var last = path[^1];
        if (last is string name)
        {
            parent[name] = with(parent[name]);
        }
        else
        {
            parent[(int)last] = with(parent[(int)last]);
        }
        return copy;
    }
}
