using System.Security.Cryptography;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signing;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>An in-memory registry, keys, a policy written to disk, and the verifier over them.</summary>
internal sealed class TrustHarness : IDisposable
{
    public const string Repository = "shop/web";
    public const string Source = "https://example.test/shop";
    private readonly string _folder = Directory.CreateTempSubdirectory("harness-").FullName;

    public TrustHarness()
    {
        foreach (var name in new[] { "ci", "gate", "stranger" })
        {
            var key = SigningKey.FromEcdsa(ECDsa.Create(ECCurve.NamedCurves.nistP256));
            Keys[name] = key;
            File.WriteAllText(Path.Combine(_folder, name + ".pub"), key.PublicKeyPem);
        }
    }

    public InMemoryRegistry Registry { get; } = new();

    public Dictionary<string, SigningKey> Keys { get; } = new(StringComparer.Ordinal);

    public string Folder => _folder;

    public static ImageReference Image => ImageReference.Parse($"{InMemoryRegistry.Host}/{Repository}:latest");

    public string PushImage(string source = Source, string? created = null, string? version = null, string? createdLabel = null)
    {
        var labels = new Dictionary<string, string> { ["org.opencontainers.image.source"] = source };
        if (createdLabel is not null)
        {
            labels["org.opencontainers.image.created"] = createdLabel;
        }
        if (version is not null)
        {
            labels["org.opencontainers.image.version"] = version;
        }
        return TestImages.Push(Registry, Repository, labels, created: created);
    }

    public Task SignAsync(string key, string digest, params string[] annotations) =>
        new CosignSigner(Registry.Client()).SignAsync(Image.WithDigest(digest), Keys[key],
            annotations.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]), CancellationToken.None);

    public async Task<string> SignedAndBlessedAsync(string? created = null)
    {
        var digest = PushImage(created: created);
        await SignAsync("ci", digest);
        await SignAsync("gate", digest, "stage=prod");
        return digest;
    }

    public TrustPolicy Policy(string extraImage = "", string extraTop = "", string extraAuthorities = "")
    {
        var toml = $$"""
            {{extraTop}}
            [authorities.ci]
            key = "ci.pub"
            [authorities.gate]
            key = "gate.pub"
            {{extraAuthorities}}

            [[image]]
            repository = "{{InMemoryRegistry.Host}}/shop/*"
            signed_by = ["ci"]
            blessed_by = "gate"
            bless = { stage = "prod" }
            source = "{{Source}}"
            {{extraImage}}
            """;
        var path = Path.Combine(_folder, $"policy-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, toml);
        var loaded = TrustPolicyLoader.Load(path);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return loaded.Policy!;
    }

    public Task<Verdict> VerifyAsync(string digest, TrustPolicy? policy = null, RunningImageFacts? running = null) =>
        new TrustVerifier(Registry.Client(), policy ?? Policy()).VerifyAsync(Image, digest, running, CancellationToken.None);

    public void Dispose()
    {
        foreach (var key in Keys.Values)
        {
            key.Dispose();
        }
        Directory.Delete(_folder, recursive: true);
    }
}
