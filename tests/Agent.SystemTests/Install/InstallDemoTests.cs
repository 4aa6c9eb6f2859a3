using System.Text.Json;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Install;

/// <summary>
/// update-agent installed in the guest with install.sh and run as a real unit: the demo's four
/// scenarios, the journal an operator queries, the API socket and the unit's lifecycle, and an
/// uninstall that leaves the guest as it was.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class InstallDemoTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string RefusedId = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b20";
    private const string CommittedId = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b40";
    private const string RolledBackId = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b50";
    private const string GuardDropIn = "/etc/systemd/system/web.service.d/update-agent-guard.conf";
    private const string OwnDropIn = "/etc/systemd/system/other-app.service.d/50-own.conf";

    private static string Binary
    {
        get
        {
            var path = Path.Combine(ProcessRunner.RepositoryRoot, "artifacts", "aot", "update-agent");
            Assert.True(File.Exists(path), $"{path} is missing: ./test.sh publishes it before the tests (dotnet publish src/Agent -p:PublishAot=true -o artifacts/aot)");
            return path;
        }
    }

    [Fact]
    public async Task Install_play_the_incidents_operate_and_uninstall()
    {
        var demo = await ProcessRunner.RunAsync(Path.Combine(ProcessRunner.RepositoryRoot, "tests", "testbed", "demo.sh"), [], TimeSpan.FromMinutes(10),
            new Dictionary<string, string>
            {
                ["DEMO_USE_RUNNING"] = "1",
                ["UPDATE_AGENT_BINARY"] = Binary,
                ["UPDATE_AGENT_TESTBED_STATE"] = testbed.State,
                ["UPDATE_AGENT_TESTBED_REGISTRY_PORT"] = testbed.Registry.Split(':')[1],
            });
        output.WriteLine(demo.StandardOutput);
        output.WriteLine(demo.StandardError);
        demo.EnsureSuccess("tests/testbed/demo.sh");

        // install.sh put the man pages and completions where Debian looks for them.
        await InstalledConventions.AssertAsync(testbed, output, "/usr/share", "/usr/share/zsh/vendor-completions");

        // What runs: the good release, healthy.
        Assert.Equal("active", (await testbed.RunInGuestAsync("systemctl", "is-active", "web.service")).StandardOutput.Trim());
        var status = JsonDocument.Parse(await testbed.ShellInGuestAsync("update-agent status --json")).RootElement;
        var web = status.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unit").GetString() == "web.service");
        Assert.Equal("rolled back", web.GetProperty("status").GetString());
        Assert.Equal(1, web.GetProperty("quarantined").GetArrayLength());
        Assert.Equal(web.GetProperty("running_digest").GetString(), (await testbed.ShellInGuestAsync("podman inspect web --format '{{.ImageDigest}}'")).Trim());

        // What the journal says, by the fields and message IDs an operator queries.
        var refused = await JournalAsync($"MESSAGE_ID={RefusedId}", "UNIT=web.service");
        Assert.Equal(2, refused.Count);
        Assert.Contains(refused, e => e.GetProperty("REASON_CODES").GetString()!.Contains("wrong-source", StringComparison.Ordinal));
        Assert.Contains(refused, e => e.GetProperty("REASON_CODES").GetString()!.Contains("downgrade", StringComparison.Ordinal));
        Assert.All(refused, e => Assert.Equal("refused", e.GetProperty("VERDICT").GetString()));
        var committed = Assert.Single(await JournalAsync($"MESSAGE_ID={CommittedId}", "UNIT=web.service"));
        Assert.StartsWith("sha256:", committed.GetProperty("TO_DIGEST").GetString(), StringComparison.Ordinal);
        Assert.Contains("gate", committed.GetProperty("SIGNER").GetString(), StringComparison.Ordinal);
        Assert.Single(await JournalAsync($"MESSAGE_ID={RolledBackId}", "UNIT=web.service"));
        var explained = await testbed.ShellInGuestAsync($"journalctl -x -u update-agent MESSAGE_ID={RolledBackId} --no-pager");
        Assert.Contains("is quarantined for this unit", explained, StringComparison.Ordinal);

        // The unit: ready through READY=1, STATUS= shown, the API refuses others than root.
        var show = await testbed.ShellInGuestAsync("systemctl show update-agent -p Type -p StatusText -p ActiveState");
        output.WriteLine(show);
        Assert.Contains("Type=notify", show, StringComparison.Ordinal);
        Assert.Contains("StatusText=idle; last pass", show, StringComparison.Ordinal);
        var nobody = await testbed.RunInGuestAsync("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "curl", "-sS", "--unix-socket", "/run/update-agent/api.sock", "http://agent/v1/status");
        output.WriteLine($"as nobody: exit {nobody.ExitCode} {nobody.StandardOutput} {nobody.StandardError}");
        Assert.True(nobody.ExitCode != 0 || nobody.StandardOutput.Contains("may not", StringComparison.Ordinal), "a non-root caller read the API");
        var metrics = await testbed.ShellInGuestAsync("curl -sS --unix-socket /run/update-agent/api.sock http://agent/metrics");
        Assert.Contains("update_agent_rollbacks_total 1", metrics, StringComparison.Ordinal);

        // The redeploy guard: a stale :latest that arrives by another path does not start.
        await GuardRefusesAStaleLatestAsync(web.GetProperty("running_digest").GetString()!);

        // SIGTERM stops it cleanly.
        await testbed.ShellInGuestAsync("systemctl stop update-agent");
        var stopped = await testbed.ShellInGuestAsync("systemctl show update-agent -p Result -p ActiveState");
        Assert.Contains("Result=success", stopped, StringComparison.Ordinal);
        Assert.Contains("ActiveState=inactive", stopped, StringComparison.Ordinal);

        // Uninstall leaves the guest as it was.
        var uninstall = await testbed.ShellInGuestAsync("/tmp/update-agent-src/install.sh --uninstall");
        output.WriteLine(uninstall);
        // The guard drop-in copied as shipped goes (its ExecStartPre= would name a binary that is gone);
        // one the administrator wrote is listed, not touched.
        Assert.Contains($"removing the guard drop-in {GuardDropIn}", uninstall, StringComparison.Ordinal);
        Assert.NotEqual(0, (await testbed.RunInGuestAsync("test", "-e", "/etc/systemd/system/web.service.d")).ExitCode);
        Assert.Contains($"  {OwnDropIn}", uninstall, StringComparison.Ordinal);
        await testbed.ShellInGuestAsync($"rm -r {OwnDropIn[..OwnDropIn.LastIndexOf('/')]} && systemctl daemon-reload");
        // The demo enabled the timer before installing, as on a host that used podman auto-update.
        Assert.Equal("enabled", (await testbed.RunInGuestAsync("systemctl", "is-enabled", "podman-auto-update.timer")).StandardOutput.Trim());
        foreach (var path in new[]
            {
                "/usr/bin/update-agent", "/usr/lib/update-agent", "/usr/lib/systemd/system/update-agent.service", "/var/lib/update-agent",
                "/usr/lib/systemd/user/update-agent.service",
                "/usr/share/man/man8/update-agent.8.gz", "/usr/share/bash-completion/completions/update-agent", "/usr/share/zsh/vendor-completions/_update-agent",
            })
        {
            Assert.NotEqual(0, (await testbed.RunInGuestAsync("test", "-e", path)).ExitCode);
        }
        await testbed.RunInGuestAsync("systemctl", "stop", "web.service");
    }

    private async Task GuardRefusesAStaleLatestAsync(string verified)
    {
        const string GuardId = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b90";
        var image = $"{testbed.Registry}/demo/web";
        await testbed.ShellInGuestAsync("mkdir -p /etc/systemd/system/web.service.d && cp /usr/share/update-agent/update-agent-guard.conf /etc/systemd/system/web.service.d/ && systemctl daemon-reload");
        // Someone pulls :latest by hand: the registry's tag names the quarantined 1.2 now.
        await testbed.ShellInGuestAsync($"podman pull -q {image}:latest");
        var restart = await testbed.RunInGuestAsync("systemctl", "restart", "web.service");
        output.WriteLine(await testbed.ShellInGuestAsync("journalctl -u web.service -n 5 --no-pager -o cat"));
        Assert.NotEqual(0, restart.ExitCode);
        // The guard runs as web.service's ExecStartPre=, so its entry belongs to that unit.
        var refusal = Assert.Single(await JournalOfAsync("web.service", $"MESSAGE_ID={GuardId}", "UNIT=web.service"));
        Assert.Equal(verified, refusal.GetProperty("TO_DIGEST").GetString());

        // The next pass finds web.service failed with its tag on an unverified image, puts the verified
        // digest back and starts it; the guard lets it start, and nothing calls it "up to date" meanwhile.
        var check = await testbed.RunInGuestAsync("update-agent", "check", "--json");
        output.WriteLine(check.StandardOutput + check.StandardError);
        var web = JsonDocument.Parse(check.StandardOutput).RootElement.GetProperty("units").EnumerateArray()
            .Single(u => u.GetProperty("unit").GetString() == "web.service");
        Assert.Equal("restored", web.GetProperty("status").GetString());
        Assert.Equal("active", (await testbed.RunInGuestAsync("systemctl", "is-active", "web.service")).StandardOutput.Trim());
        Assert.Equal(verified, (await testbed.ShellInGuestAsync("podman inspect web --format '{{.ImageDigest}}'")).Trim());
        // Left in place for the uninstall to remove; beside it, a drop-in of the administrator's own.
        await testbed.ShellInGuestAsync($"mkdir -p {OwnDropIn[..OwnDropIn.LastIndexOf('/')]} && printf '[Service]\\nExecStartPre=/usr/bin/update-agent guard web.service\\n' > {OwnDropIn}");
    }

    private Task<List<JsonElement>> JournalAsync(params string[] matches) => JournalOfAsync("update-agent", matches);

    private async Task<List<JsonElement>> JournalOfAsync(string systemdUnit, params string[] matches)
    {
        var text = await testbed.ShellInGuestAsync($"journalctl -u {systemdUnit} -o json --no-pager {string.Join(' ', matches)}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }
}
