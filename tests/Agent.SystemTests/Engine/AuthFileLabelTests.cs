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
        var authFile = await WriteAuthFileAsync(work, "only-this-unit-auth.json");

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

        // podman's service could only have pulled it with the credentials and tlsVerify=false the agent sent.
        await work.AssertUpdatedToAsync(exit, unit, v2);
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_label_auth_file_that_names_a_credential_helper_gets_the_login_from_the_helper()
    {
        var address = _registry!.Address;
        using var work = new EngineWorkspace(testbed, "credhlp", registry: address);
        // Releasing and the first start use a plain file; the label's file holds no secret, only the helper's name.
        var pushAuth = await WriteAuthFileAsync(work, "push-auth.json");
        var helperAuth = Path.Combine(work.Trust.Folder, "helper-auth.json");
        await File.WriteAllTextAsync(helperAuth, "{\"credHelpers\":{\"" + address + "\":\"uatest\"}}");
        var bin = Directory.CreateDirectory(Path.Combine(work.Trust.Folder, "bin")).FullName;
        var helper = Path.Combine(bin, "docker-credential-uatest");
        await File.WriteAllTextAsync(helper, $$"""
            #!/bin/sh
            read server
            [ "$1" = get ] && [ "$server" = "{{address}}" ] || { echo "credentials not found in native keychain"; exit 1; }
            printf '{"ServerURL":"%s","Username":"{{User}}","Secret":"{{Password}}"}' "$server"
            """);
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var v1 = await ReleaseAsync(work, pushAuth, "1.0.0");
        await work.ConfigureAsync();
        RestrictPolicyToLabel(work, address);
        await testbed.ShellInGuestAsync($"podman pull -q --tls-verify=false --authfile {pushAuth} {work.Latest} >/dev/null");
        await GuestUnits.InstallAndStartAsync(testbed, work.Unit, GuestUnits.Container(work.Name, work.Latest,
            $"--network none --health-cmd 'cat /www/health' --health-interval 30s --health-retries 2 --label {ContainerRegistryAccessLabel}={helperAuth}"));
        var v2 = await ReleaseAsync(work, pushAuth, "1.1.0");

        var (exit, report, error) = await work.CheckAsync(new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" });
        output.WriteLine(report.ToString());
        output.WriteLine(error);

        Assert.NotEqual(v1, v2);
        await work.AssertUpdatedToAsync(exit, work.UnitReport(report), v2);
        Assert.DoesNotContain(Password, report.ToString() + error, StringComparison.Ordinal);
        await work.StopUnitAsync();
    }

    /// <summary>An auth file with the registry's login, at the same path on the host (where the agent reads it) and in the guest (where podman would).</summary>
    private async Task<string> WriteAuthFileAsync(EngineWorkspace work, string name)
    {
        var path = Path.Combine(work.Trust.Folder, name);
        var auth = "{\"auths\":{\"" + _registry!.Address + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")) + "\"}}}";
        await File.WriteAllTextAsync(path, auth);
        await testbed.ShellInGuestAsync($"mkdir -p {work.Trust.Folder}");
        await testbed.WriteGuestFileAsync(path, auth);
        return path;
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
