using System.CommandLine;
using UpdateAgent.Commands;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>
/// A folder with cosign key pairs and policy files for one test class, plus helpers to run the
/// real cosign and our commands (in process) against the testbed's registry.
/// </summary>
public sealed class TrustWorkspace : IDisposable
{
    private readonly TestbedFixture _testbed;

    public TrustWorkspace(TestbedFixture testbed)
    {
        _testbed = testbed;
        Folder = Directory.CreateTempSubdirectory("uat-trust-").FullName;
    }

    public string Folder { get; }

    public string Registry => _testbed.Registry;

    /// <summary>A repository name no other test uses.</summary>
    public string NewRepository(string name) => $"{Registry}/trust/{name}-{Guid.NewGuid():N}"[..(Registry.Length + 7 + name.Length + 9)];

    public Task<string> PushImageAsync(string repository, params string[] labels) =>
        _testbed.PushImageAsync($"{repository}:latest", labels);

    /// <summary>Generates a cosign key pair (empty password) named <paramref name="name"/>; returns the private key path.</summary>
    public async Task<string> CosignKeyPairAsync(string name)
    {
        var prefix = Path.Combine(Folder, name);
        if (!File.Exists(prefix + ".key"))
        {
            await CosignAsync("generate-key-pair", "--output-key-prefix", prefix);
        }
        return prefix + ".key";
    }

    /// <summary>Runs the real cosign (empty key password, no transparency log) and fails the test unless it succeeds.</summary>
    public async Task<string> CosignAsync(params string[] args)
    {
        var result = await CosignRawAsync(args);
        return result.EnsureSuccess("cosign " + string.Join(' ', args)).StandardOutput;
    }

    public Task<ProcessResult> CosignRawAsync(params string[] args) =>
        ProcessRunner.RunAsync("cosign", args, TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["COSIGN_PASSWORD"] = string.Empty, ["COSIGN_YES"] = "true" }, standardInput: string.Empty);

    public Task CosignSignAsync(string keyPath, string imageAtDigest, params string[] annotations) =>
        CosignSignForAsync(keyPath, imageAtDigest, null, annotations);

    /// <summary>Signs <paramref name="imageAtDigest"/> for the name <paramref name="identity"/> (a mirror's or proxy's name for it) when given.</summary>
    public Task CosignSignForAsync(string keyPath, string imageAtDigest, string? identity, params string[] annotations) =>
        CosignAsync(["sign", "--key", keyPath, "--tlog-upload=false", "--allow-insecure-registry", "-y",
            .. identity is null ? Array.Empty<string>() : ["--sign-container-identity", identity],
            .. annotations.SelectMany(a => new[] { "-a", a }), imageAtDigest]);

    /// <summary>Writes a policy file and returns its path.</summary>
    public string WritePolicy(string name, string toml, string? alsoInsecure = null, int timeoutSeconds = 20)
    {
        var path = Path.Combine(Folder, name + ".toml");
        var insecure = alsoInsecure is null ? $"\"{Registry}\"" : $"\"{Registry}\", \"{alsoInsecure}\"";
        File.WriteAllText(path, $"[registries]\ninsecure = [{insecure}]\ntimeout_seconds = {timeoutSeconds}\n\n" + toml);
        return path;
    }

    /// <summary>The usual policy: 'ci' must sign, 'gate' must bless with stage=prod; optional source rule and extra image keys.</summary>
    public string WriteGatedPolicy(string repository, string? source = null, string extra = "", string? alsoInsecure = null, int timeoutSeconds = 20)
    {
        var sourceLine = source is null ? string.Empty : $"source = \"{source}\"";
        return WritePolicy("gated-" + Guid.NewGuid().ToString("N")[..8], alsoInsecure: alsoInsecure, timeoutSeconds: timeoutSeconds, toml: $$"""
            [authorities.ci]
            key = "ci.pub"
            [authorities.gate]
            key = "gate.pub"

            [[image]]
            repository = "{{repository}}"
            signed_by = ["ci"]
            blessed_by = "gate"
            bless = { stage = "prod" }
            {{sourceLine}}
            {{extra}}
            """);
    }

    public static TrustPolicy LoadPolicy(string path)
    {
        var loaded = TrustPolicyLoader.Load(path);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return loaded.Policy!;
    }

    /// <summary>Verifies through the library, as the update engine will.</summary>
    public static async Task<Verdict> VerifyAsync(string policyPath, string repository, string digest, RunningImageFacts? running = null,
        Action<RegistryClientOptions>? tune = null)
    {
        var policy = LoadPolicy(policyPath);
        var options = UpdateAgent.Trust.TrustServices.RegistryOptions(policy);
        tune?.Invoke(options);
        using var http = UpdateAgent.Trust.TrustServices.CreateHttpClient();
        var registry = new RegistryClient(http, options);
        var verifier = new TrustVerifier(registry, policy);
        return await verifier.VerifyAsync(ImageReference.Parse(repository + ":latest"), digest, running, CancellationToken.None);
    }

    /// <summary>Runs <c>update-agent ARGS</c> in process; returns exit code and what it printed.</summary>
    public static async Task<(int Exit, string Output, string Error)> AgentAsync(params string[] args)
    {
        var root = new RootCommand("update-agent") { VerifyCommand.Create(), BlessCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Copies a manifest and its blobs between repositories (and registries), optionally under another tag.</summary>
    public static async Task CopyAsync(RegistryClient fromRegistry, string fromRepo, RegistryClient toRegistry, string toRepo, string reference, string? targetReference = null)
    {
        var from = ImageReference.Parse(fromRepo);
        var to = ImageReference.Parse(toRepo);
        var manifest = (await fromRegistry.TryGetManifestAsync(from, reference, CancellationToken.None))!;
        var parsed = System.Text.Json.Nodes.JsonNode.Parse(manifest.Bytes.Span)!;
        var blobs = new[] { parsed["config"]! }.Concat(parsed["layers"]!.AsArray().Select(n => n!));
        foreach (var blob in blobs)
        {
            var bytes = (await fromRegistry.TryGetBlobAsync(from, (string)blob["digest"]!, null, 64 << 20, CancellationToken.None))!;
            await toRegistry.PushBlobAsync(to, bytes, CancellationToken.None);
        }
        await toRegistry.PushManifestAsync(to, targetReference ?? reference, manifest.Bytes, manifest.MediaType, CancellationToken.None);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
