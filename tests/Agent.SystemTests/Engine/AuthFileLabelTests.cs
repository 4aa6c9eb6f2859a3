using System.Text;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.SystemTests.Trust;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// A unit whose container carries <c>io.containers.autoupdate.authfile</c>, pointing at an auth file
/// nothing else names, runs an image from a registry that demands credentials: the agent reads the
/// tag and the signatures with that file, and podman's service pulls with the same credentials and
/// TLS setting the agent sends it (the guest's podman has no credentials and does not know the
/// registry is plain HTTP).
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class AuthFileLabelTests(TestbedFixture testbed, ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "unit-only";
    private const string Password = "label-s3cret";
    private const string ContainerRegistryAccessLabel = "io.containers.autoupdate.authfile";
    private readonly TrustWorkspace _scratch = new(testbed);
    private HtpasswdRegistry? _registry;

    public async Task InitializeAsync() => _registry = await HtpasswdRegistry.StartAsync(_scratch.Folder, User, Password);

    [Fact]
    public async Task A_unit_whose_container_names_its_own_auth_file_is_verified_and_pulled_with_it()
    {
        var address = _registry!.Address;
        using var work = new EngineWorkspace(testbed, "authlbl", registry: address);
        // The same path on the host (where the agent reads it) and in the guest (where podman would).
        var authFile = Path.Combine(work.Trust.Folder, "only-this-unit-auth.json");
        var auth = "{\"auths\":{\"" + address + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")) + "\"}}}";
        await File.WriteAllTextAsync(authFile, auth);
        await testbed.ShellInGuestAsync($"mkdir -p {work.Trust.Folder}");
        await testbed.WriteGuestFileAsync(authFile, auth);

        var v1 = await ReleaseAsync(work, authFile, "1.0.0");
        await work.ConfigureAsync();
        RestrictPolicyToLabel(work, address);
        // The first start needs the image: pulled by hand with the file, so podman keeps no credentials of its own.
        await testbed.ShellInGuestAsync($"podman pull -q --tls-verify=false --authfile {authFile} {work.Latest} >/dev/null");
        await GuestUnits.InstallAndStartAsync(testbed, work.Unit, GuestUnits.Container(work.Name, work.Latest,
            $"--network none --health-cmd 'cat /www/health' --health-interval 30s --health-retries 2 --label {ContainerRegistryAccessLabel}={authFile}"));
        Assert.Equal(v1, await work.RunningDigestAsync());
        var v2 = await ReleaseAsync(work, authFile, "1.1.0");

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(0, exit);
        Assert.Equal("updated", unit.GetProperty("status").GetString());
        Assert.Equal(v2, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());
        // podman's service could only have pulled it with the credentials and tlsVerify=false the agent sent.
        Assert.True(await work.ImageExistsInGuestAsync(v2));
        await work.StopUnitAsync();
    }

    /// <summary>Pushes a build through the open registry into the protected one, then signs it there (CI) and blesses it (gate).</summary>
    private async Task<string> ReleaseAsync(EngineWorkspace work, string authFile, string build)
    {
        var source = _scratch.NewRepository("authlbl-src");
        var digest = await testbed.PushImageAsync($"{source}:latest",
            [$"org.opencontainers.image.source={EngineWorkspace.GoodSource}", $"org.opencontainers.image.version={build}"]);
        await TrustWorkspace.CopyAsync(Client(AuthFile.Empty), source, Client(AuthFile.Load(authFile)), work.Repository, digest, "latest");
        string[] login = ["--allow-insecure-registry", "--registry-username", User, "--registry-password", Password];
        await work.Trust.CosignAsync(["sign", "--key", await work.Trust.CosignKeyPairAsync("ci"), "--tlog-upload=false", "-y", .. login, $"{work.Repository}@{digest}"]);
        await work.Trust.CosignAsync(["sign", "--key", await work.Trust.CosignKeyPairAsync("gate"), "--tlog-upload=false", "-y", "-a", "stage=prod", .. login, $"{work.Repository}@{digest}"]);
        return digest;
    }

    private RegistryClient Client(AuthFile credentials)
    {
        var options = new RegistryClientOptions { Credentials = credentials };
        options.InsecureRegistries.Add(_registry!.Address);
        options.InsecureRegistries.Add(testbed.Registry);
        return new RegistryClient(new HttpClient(), options);
    }

    /// <summary>
    /// The protected registry is plain HTTP to the agent, and the policy's own auth file is one that
    /// does not exist: the label is the only place the credentials come from.
    /// </summary>
    private static void RestrictPolicyToLabel(EngineWorkspace work, string address)
    {
        var policyLine = File.ReadAllLines(work.ConfigPath).Single(l => l.TrimStart().StartsWith("policy = ", StringComparison.Ordinal));
        var policy = policyLine.Split('"')[1];
        var text = File.ReadAllText(policy)
            .Replace("[registries]\ninsecure = [", $"[registries]\nauth_file = \"{Path.Combine(work.Trust.Folder, "no-default-auth.json")}\"\ninsecure = [\"{address}\", ", StringComparison.Ordinal);
        Assert.Contains(address, text, StringComparison.Ordinal);
        File.WriteAllText(policy, text);
    }

    public Task DisposeAsync()
    {
        _registry?.Dispose();
        _scratch.Dispose();
        return Task.CompletedTask;
    }
}
