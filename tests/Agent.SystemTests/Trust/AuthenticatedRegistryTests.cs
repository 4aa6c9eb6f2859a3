using System.Text;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>
/// A second real distribution registry that demands basic authentication (htpasswd): credentials
/// come from an auth.json, as podman login writes it; without them verify cannot decide (exit 3).
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class AuthenticatedRegistryTests(TestbedFixture testbed, ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "gate";
    private const string Password = "s3cret-pass";
    private readonly TrustWorkspace _work = new(testbed);
    private HtpasswdRegistry? _registry;
    private string _address = string.Empty;

    public async Task InitializeAsync()
    {
        _registry = await HtpasswdRegistry.StartAsync(_work.Folder, User, Password);
        _address = _registry.Address;
    }

    private string WriteAuthFile(string password)
    {
        var path = Path.Combine(_work.Folder, $"auth-{Guid.NewGuid():N}.json");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}"));
        File.WriteAllText(path, "{\"auths\":{\"" + _address + "\":{\"auth\":\"" + auth + "\"}}}");
        return path;
    }

    private RegistryClient Client(string? authFile)
    {
        var options = new RegistryClientOptions { Credentials = AuthFile.Load(authFile) };
        options.InsecureRegistries.Add(_address);
        options.InsecureRegistries.Add(_work.Registry);
        return new RegistryClient(new HttpClient(), options);
    }

    [Fact]
    public async Task Credentials_from_auth_json_let_verify_and_bless_reach_a_protected_registry_and_cosign_agrees()
    {
        var source = _work.NewRepository("private");
        var digest = await _work.PushImageAsync(source);
        var target = $"{_address}/trust/private";
        var authFile = WriteAuthFile(Password);
        await TrustWorkspace.CopyAsync(Client(null), source, Client(authFile), target, digest, "latest");
        var ci = await _work.CosignKeyPairAsync("ci");
        await _work.CosignAsync("sign", "--key", ci, "--tlog-upload=false", "--allow-insecure-registry", "-y",
            "--registry-username", User, "--registry-password", Password, $"{target}@{digest}");
        var policy = _work.WritePolicy("auth", $"[authorities.ci]\nkey = \"ci.pub\"\n[[image]]\nrepository = \"{target}\"\nsigned_by = [\"ci\"]\n", alsoInsecure: _address);
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("[registries]\n", $"[registries]\nauth_file = \"{authFile}\"\n", StringComparison.Ordinal));

        var (exit, stdout, stderr) = await TrustWorkspace.AgentAsync("verify", $"{target}:latest", "--config", policy);
        output.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);

        var (blessExit, _, blessError) = await TrustWorkspace.AgentAsync("bless", $"{target}@{digest}", "--key", await _work.CosignKeyPairAsync("gate"),
            "-a", "stage=prod", "--config", policy);
        Assert.True(blessExit == 0, blessError);
        await _work.CosignAsync("verify", "--key", Path.Combine(_work.Folder, "gate.pub"), "--insecure-ignore-tlog", "--allow-insecure-registry",
            "--registry-username", User, "--registry-password", Password, "-a", "stage=prod", $"{target}@{digest}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Missing_or_wrong_credentials_could_not_decide(bool wrongPassword)
    {
        var target = $"{_address}/trust/locked";
        await _work.CosignKeyPairAsync("ci");
        var policy = _work.WritePolicy("locked", $"[authorities.ci]\nkey = \"ci.pub\"\n[[image]]\nrepository = \"{target}\"\nsigned_by = [\"ci\"]\n", alsoInsecure: _address);
        var authFile = wrongPassword ? WriteAuthFile("not-the-password") : Path.Combine(_work.Folder, "no-such-auth.json");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("[registries]\n", $"[registries]\nauth_file = \"{authFile}\"\n", StringComparison.Ordinal));

        var (exit, stdout, _) = await TrustWorkspace.AgentAsync("verify", $"{target}:latest", "--config", policy);
        output.WriteLine(stdout);

        Assert.Equal(3, exit);
        Assert.Contains("registry-error", stdout, StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        _registry?.Dispose();
        _work.Dispose();
        return Task.CompletedTask;
    }
}
