using System.Text.Json;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.SystemTests.Trust;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// One scenario's world: a repository in the loopback registry, cosign keys for CI and the release
/// gate, a unit in the guest running the repository's :latest, and an agent configuration that
/// points our agent (on the host) at the guest's podman and systemd.
/// </summary>
internal sealed class EngineWorkspace : IDisposable
{
    public const string GoodSource = "https://github.com/acme/app";
    public const string ZombieSource = "https://github.com/acme/app-archived-sibling";

    private readonly TestbedFixture _testbed;

    // registry: where the repository lives; the testbed's loopback registry unless given.
    public EngineWorkspace(TestbedFixture testbed, string name, UnitKind kind = UnitKind.HandWritten, string? registry = null)
    {
        _testbed = testbed;
        Kind = kind;
        Trust = new TrustWorkspace(testbed);
        Name = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 7)];
        Repository = $"{registry ?? testbed.Registry}/engine/{Name}";
        Unit = $"{Name}.service";
        StateDirectory = Path.Combine(Trust.Folder, "state");
    }

    public TrustWorkspace Trust { get; }
    public UnitKind Kind { get; }
    public string Name { get; }
    public string Repository { get; }
    public string Latest => Repository + ":latest";
    /// <summary>The unit the agent restarts: the container's by default, a pod's or kube file's when set.</summary>
    public string Unit { get; set; }

    /// <summary>The container whose image is checked: named after the workspace by default.</summary>
    public string Container { get => field ?? Name; set; }
    public string StateDirectory { get; }
    public string ConfigPath => Path.Combine(Trust.Folder, "agent.toml");

    /// <summary>
    /// Where releases are pushed and signed when the unit's registry is only a name for it (a mirror's
    /// origin, a proxy): this registry's copy of the repository, signed for <see cref="Repository"/>'s name.
    /// </summary>
    public string? StoredIn { get; init; }

    private string StoredRepository => StoredIn is { } physical ? $"{physical}/engine/{Name}" : Repository;

    /// <summary>How a release is built and pushed (reference, labels, healthy → digest); the busybox image by default.</summary>
    public Func<string, IEnumerable<string>, bool, Task<string>>? Push { get; set; }

    /// <summary>Pushes a build to :latest with a source label; signs it by CI and, when <paramref name="bless"/>, blesses it stage=prod.</summary>
    public async Task<string> ReleaseAsync(string build, string source = GoodSource, bool bless = true, bool sign = true, bool healthy = true, string tag = "latest")
    {
        string[] labels = [$"org.opencontainers.image.source={source}", $"org.opencontainers.image.version={build}"];
        var digest = Push is { } push
            ? await push($"{StoredRepository}:{tag}", labels, healthy)
            : await _testbed.PushImageAsync($"{StoredRepository}:{tag}", labels, healthFile: healthy);
        var identity = StoredIn is null ? null : Repository;
        if (sign)
        {
            await Trust.CosignSignForAsync(await Trust.CosignKeyPairAsync("ci"), $"{StoredRepository}@{digest}", identity);
        }
        if (bless)
        {
            await Trust.CosignSignForAsync(await Trust.CosignKeyPairAsync("gate"), $"{StoredRepository}@{digest}", identity, "stage=prod");
        }
        return digest;
    }

    /// <summary>Points :latest at an older digest again, as the stale-tag incident did.</summary>
    public async Task RepointLatestAsync(string digest) =>
        (await ProcessRunner.RunAsync("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{StoredRepository}@{digest}", $"docker://{StoredRepository}:latest"]))
            .EnsureSuccess("skopeo copy");

    /// <summary>Writes the policy (CI signs, gate blesses stage=prod, source must match) and the agent configuration.</summary>
    /// <param name="insecureRegistry">Another registry the policy reaches over plain HTTP (a proxy).</param>
    /// <param name="registryTimeoutSeconds">The policy's registry timeout.</param>
    public async Task ConfigureAsync(string soak = "2s", string policyExtra = "", string agentExtra = "", string? insecureRegistry = null, int registryTimeoutSeconds = 20)
    {
        await Trust.CosignKeyPairAsync("ci");
        await Trust.CosignKeyPairAsync("gate");
        var policy = Trust.WriteGatedPolicy(Repository, source: GoodSource, extra: policyExtra, alsoInsecure: insecureRegistry, timeoutSeconds: registryTimeoutSeconds);
        await File.WriteAllTextAsync(ConfigPath, $"""
            [agent]
            policy = "{policy}"
            state_directory = "{StateDirectory}"
            podman_socket = "{_testbed.PodmanSocket}"
            dbus_address = "unix:path={_testbed.DBusSocket}"
            restart_timeout = "90s"
            {agentExtra}

            [health]
            soak = "{soak}"
            check_timeout = "20s"
            """);
    }

    /// <summary>Starts the unit in the guest: a container of :latest with a health check that reads /www/health.</summary>
    /// <param name="pull">A pull policy for the unit's own start (<c>--pull=</c>, Quadlet <c>Pull=</c>); none by default.</param>
    /// <param name="policy">The auto-update policy label of a hand-written unit.</param>
    public Task StartUnitAsync(string? pull = null, string policy = "registry") => Kind == UnitKind.Quadlet
        ? StartQuadletUnitAsync(pull)
        : GuestUnits.InstallAndStartAsync(_testbed, Unit, GuestUnits.Container(Name, Latest,
            $"--network none --health-cmd 'cat /www/health' --health-interval 30s --health-retries 2{(pull is null ? "" : $" --pull={pull}")}", policy));

    /// <summary>
    /// Starts the unit as a Quadlet would have it on a podman 5 host: a <c>.container</c> file with
    /// <c>AutoUpdate=registry</c> and the same health check, generated into <see cref="Unit"/> by
    /// podman's systemd generator on daemon-reload (podman ≥ 4.4: the debian13 guest).
    /// </summary>
    private async Task StartQuadletUnitAsync(string? pull)
    {
        await _testbed.WriteGuestFileAsync($"/etc/containers/systemd/{Name}.container", $"""
            [Unit]
            Description=test Quadlet container {Name}

            [Container]
            ContainerName={Name}
            Image={Latest}
            AutoUpdate=registry
            Network=none
            HealthCmd=cat /www/health
            HealthInterval=30s
            HealthRetries=2
            {(pull is null ? "" : $"Pull={pull}")}

            [Service]
            TimeoutStartSec=60
            """);
        await _testbed.ShellInGuestAsync($"systemctl daemon-reload && systemctl start {Unit} && systemctl is-active {Unit}");
    }

    /// <summary>A check moved the unit: exit 0, reported <c>updated</c>, its container runs <paramref name="digest"/>, the unit is active and podman holds the image.</summary>
    public async Task AssertUpdatedToAsync(int exit, JsonElement unit, string digest)
    {
        Assert.Equal(0, exit);
        Assert.Equal("updated", unit.GetProperty("status").GetString());
        Assert.Equal(digest, await RunningDigestAsync());
        Assert.Equal("active", await UnitStateAsync());
        Assert.True(await ImageExistsInGuestAsync(digest));
    }

    /// <summary>The digest of the image the unit's container (or <paramref name="container"/>) runs now.</summary>
    public async Task<string> RunningDigestAsync(string? container = null) =>
        (await _testbed.ShellInGuestAsync($"podman inspect {container ?? Container} --format '{{{{.ImageDigest}}}}'")).Trim();

    public async Task<string> UnitStateAsync() =>
        (await _testbed.RunInGuestAsync("systemctl", "is-active", Unit)).StandardOutput.Trim();

    public async Task<bool> ImageExistsInGuestAsync(string digest) =>
        (await _testbed.RunInGuestAsync("podman", "image", "exists", $"{Repository}@{digest}")).ExitCode == 0;

    /// <summary>Runs <c>update-agent check --json</c> as its own process; returns exit code and the parsed report.</summary>
    public async Task<(int Exit, JsonElement Report, string Error)> CheckAsync(IDictionary<string, string>? environment = null)
    {
        var result = await AgentProcessAsync(["check", "--config", ConfigPath, "--json"], environment);
        var report = result.StandardOutput.Trim().Length > 0 && result.StandardOutput.TrimStart().StartsWith('{')
            ? JsonDocument.Parse(result.StandardOutput).RootElement.Clone()
            : default;
        return (result.ExitCode, report, result.StandardError);
    }

    /// <summary>Runs <c>check --json</c>, writes the report and stderr to the test's output, and returns the exit code and this unit's entry.</summary>
    public async Task<(int Exit, JsonElement Unit)> CheckUnitAsync(ITestOutputHelper output)
    {
        var (exit, report, error) = await CheckAsync();
        output.WriteLine(report.ValueKind == JsonValueKind.Undefined ? "(no report)" : report.ToString());
        output.WriteLine(error);
        return (exit, UnitReport(report));
    }

    public Task<ProcessResult> AgentProcessAsync(string[] args, IDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync(Path.Combine(AppContext.BaseDirectory, "update-agent"), args, TimeSpan.FromMinutes(4), environment);

    /// <summary>The unit's entry of a check report.</summary>
    public JsonElement UnitReport(JsonElement report) =>
        report.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unit").GetString() == Unit);

    public async Task<JsonElement> HistoryAsync()
    {
        var result = (await AgentProcessAsync(["history", Unit, "--config", ConfigPath, "--json"])).EnsureSuccess("update-agent history");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    /// <summary><c>update-agent status --json</c>: the unit's entry.</summary>
    public async Task<JsonElement> StatusAsync()
    {
        var result = (await AgentProcessAsync(["status", "--config", ConfigPath, "--json"])).EnsureSuccess("update-agent status");
        return UnitReport(JsonDocument.Parse(result.StandardOutput).RootElement.Clone());
    }

    /// <summary>What another updater does (a hand pull, podman-auto-update.timer): pulls the tag and restarts the unit on it.</summary>
    public async Task PullBehindTheAgentsBackAsync() =>
        await _testbed.ShellInGuestAsync($"podman pull -q {Latest} >/dev/null && systemctl restart {Unit} && systemctl is-active {Unit}");

    public async Task StopUnitAsync() => await _testbed.RunInGuestAsync("systemctl", "stop", Unit);

    public void Dispose() => Trust.Dispose();
}

/// <summary>How a scenario's unit is written.</summary>
public enum UnitKind
{
    /// <summary>A unit file with <c>podman run</c>, as <c>podman generate systemd</c> wrote them.</summary>
    HandWritten,

    /// <summary>A Quadlet <c>.container</c> file (podman ≥ 4.4), as on RHEL 10 hosts.</summary>
    Quadlet,
}
