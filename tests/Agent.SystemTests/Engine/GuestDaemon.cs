using System.Text.Json;
using UpdateAgent.SystemTests.Podman;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// The daemon (the Native AOT binary) running inside the guest as a real <c>Type=notify</c> service
/// of the guest's systemd, with a workspace's policy and keys, so <c>systemctl stop</c>,
/// <c>restart</c> and <c>kill</c> reach it the way they reach update-agent.service on a host.
/// Its files live under <c>/var/tmp/ua-daemon</c> in the guest.
/// </summary>
internal sealed class GuestDaemon(TestbedFixture testbed, EngineWorkspace work, string soak)
{
    public const string Unit = "ua-daemon.service";
    private const string Home = "/var/tmp/ua-daemon";
    private const string Binary = Home + "/update-agent";
    private const string Config = Home + "/agent.toml";

    /// <summary>Copies the binary, the workspace's keys and policy (at the same paths) and a guest configuration in.</summary>
    public async Task InstallAsync()
    {
        var aot = Path.Combine(ProcessRunner.RepositoryRoot, "artifacts", "aot", "update-agent");
        Assert.True(File.Exists(aot), $"{aot} is missing: ./test.sh publishes it before the tests");
        var root = $"/proc/{testbed.GuestPid}/root";
        await testbed.ShellInGuestAsync($"rm -rf {Home} && mkdir -p {Home} {work.Trust.Folder}");
        File.Copy(aot, root + Binary);
        foreach (var file in Directory.EnumerateFiles(work.Trust.Folder))
        {
            File.Copy(file, root + file, overwrite: true);
        }
        var policy = Directory.EnumerateFiles(work.Trust.Folder, "gated-*.toml").Single();
        await testbed.WriteGuestFileAsync(Config, $"""
            [agent]
            policy = "{policy}"
            state_directory = "{Home}/state"
            api_socket = "{Home}/api.sock"
            restart_timeout = "90s"

            [schedule]
            interval = "1h"
            jitter = "0s"

            [health]
            soak = "{soak}"
            check_timeout = "20s"
            """);
        await testbed.ShellInGuestAsync($"chmod 755 {Binary} && chmod 600 {Config}");
    }

    /// <summary>
    /// Starts the daemon as a transient service whose stop timeout (4 s) is shorter than a rollback
    /// of a slow unit: only the daemon's own requests for more time let such a rollback finish.
    /// </summary>
    public async Task StartAsync(bool wait = true) =>
        (await TryStartAsync(wait)).EnsureSuccess($"starting {Unit}");

    /// <summary>As <see cref="StartAsync"/>, returning systemd-run's result: a daemon that exits before it is ready fails it.</summary>
    public Task<ProcessResult> TryStartAsync(bool wait = true) =>
        testbed.RunInGuestAsync("/bin/sh", "-c", $"systemctl reset-failed {Unit} 2>/dev/null; systemd-run --unit={Unit} {(wait ? "" : "--no-block ")}" +
            $"-p Type=notify -p NotifyAccess=main -p TimeoutStartSec=20s -p TimeoutStopSec=4s {Binary} run --config {Config}");

    /// <summary>The service's recent journal and systemd's view of it, for the test's output.</summary>
    public async Task<string> JournalAsync() =>
        (await testbed.RunInGuestAsync("sh", "-c", $"systemctl status {Unit} --no-pager -n 0; journalctl -u {Unit} -n 60 --no-pager -o short-monotonic")).StandardOutput;

    /// <summary>Waits (at most two minutes) until the daemon says it is idle: its pass, or its first one after a start, is over.</summary>
    public Task UntilIdleAsync(string what = "the daemon finishing its pass") =>
        Poll.UntilAsync(StatusTextAsync, s => s.StartsWith("idle;", StringComparison.Ordinal), TimeSpan.FromMinutes(2), what);

    /// <summary>The unit's history holds no record in progress and no step with an intent but no outcome.</summary>
    public async Task AssertHistoryCompleteAsync()
    {
        foreach (var row in await HistoryAsync())
        {
            HistoryAssert.Record(row);
        }
    }

    public async Task<string> StatusTextAsync() =>
        (await testbed.RunInGuestAsync("systemctl", "show", Unit, "-p", "StatusText", "--value")).StandardOutput.Trim();

    public async Task<string> ActiveStateAsync() =>
        (await testbed.RunInGuestAsync("systemctl", "show", Unit, "-p", "ActiveState", "--value")).StandardOutput.Trim();

    /// <summary>Runs the binary in the guest with the daemon's configuration (a command line an operator would type).</summary>
    public Task<ProcessResult> CommandAsync(params string[] args) => testbed.RunInGuestAsync([Binary, .. args, "--config", Config]);

    /// <summary>Starts <c>update-agent check</c> in the guest without waiting for it (it waits for the daemon's pass).</summary>
    public Task CheckInBackgroundAsync() =>
        testbed.ShellInGuestAsync($"systemctl reset-failed ua-check 2>/dev/null; systemd-run --unit=ua-check --no-block --collect {Binary} check --config {Config}");

    public async Task<List<JsonElement>> HistoryAsync()
    {
        var result = (await CommandAsync("history", work.Unit, "--json")).EnsureSuccess("update-agent history in the guest");
        return JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public async Task<bool> IsQuarantinedAsync(string digest) =>
        (await CommandAsync("quarantine", "list", "--json")).EnsureSuccess("quarantine list").StandardOutput.Contains(digest, StringComparison.Ordinal);

    public async Task RemoveAsync()
    {
        await testbed.RunInGuestAsync("systemctl", "stop", Unit, "ua-check.service");
        await testbed.ShellInGuestAsync($"systemctl reset-failed {Unit} ua-check.service 2>/dev/null; rm -rf {Home} {work.Trust.Folder}");
    }
}
