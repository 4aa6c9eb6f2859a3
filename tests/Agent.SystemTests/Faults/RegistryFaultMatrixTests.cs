using System.Text.Json;
using UpdateAgent.Hosting;
using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.SystemTests.Trust;

namespace UpdateAgent.SystemTests.Faults;

/// <summary>
/// The unit's registry is reached through a proxy that starts failing at one step of a real update:
/// from the start (the tag is resolved through it), once the candidate is resolved (it is verified
/// through it), or once it is verified (podman pulls it through it). Whatever the registry does — 500,
/// 429, no answer, a reset connection, a short body, a digest that is not the body's, a 10 MB
/// manifest — the unit runs the old release or, only when it was verified, the new one; the report
/// says why when it did not move; the history is complete; and with the registry well again the
/// candidate is accepted and the next pass moves the unit.
/// </summary>
[Collection(TestbedCollection.Name)]
[OnlyOnGuest(Guests.Debian13, Reason)]
public sealed class RegistryFaultMatrixTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Reason = "the registry's faults meet the agent's own client, the same on every guest, and podman's pull, checked on the guest closest to RHEL 10";

    /// <summary>Every registry fault; each runs at the three steps that reach the registry.</summary>
    public static TheoryData<FaultProxy.Fault> Faults() =>
    [
        FaultProxy.Fault.ServerError, FaultProxy.Fault.TooManyRequests, FaultProxy.Fault.Hang, FaultProxy.Fault.Reset,
        FaultProxy.Fault.TruncateManifest, FaultProxy.Fault.WrongDigest, FaultProxy.Fault.HugeManifest,
    ];

    /// <summary>The step the fault strikes, and the step after which it starts (none: from the start of the pass).</summary>
    private static readonly (string Step, string? After)[] Points = [("resolve", null), ("verify", "resolve"), ("pull", "verify")];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_registry_failing_at_any_step_never_moves_a_unit_to_what_was_not_verified(FaultProxy.Fault fault)
    {
        await using var proxy = FaultProxy.Start(testbed.Registry);
        using var work = new EngineWorkspace(testbed, "rf" + fault.ToString().ToLowerInvariant()[..4], registry: proxy.Address) { StoredIn = testbed.Registry };
        var dropIn = $"/etc/containers/registries.conf.d/50-{work.Name}.conf";
        await testbed.WriteGuestFileAsync(dropIn, $"[[registry]]\nlocation = \"{proxy.Address}\"\ninsecure = true\n");
        // podman's API service reads registries.conf once: its socket starts a fresh one that knows the proxy.
        await testbed.ShellInGuestAsync("systemctl stop podman.service");
        try
        {
            var current = await work.ReleaseAsync("1.0.0");
            // A stalled pull fails after pull_timeout. Podman goes on with a pull the agent gave up on
            // (its retries outlive the API request), and the next pull of that image waits for it: 30 s
            // is the shortest that was never too short here (10 s was, under load).
            await work.ConfigureAsync(soak: "1s", agentExtra: "pull_timeout = \"30s\"", insecureRegistry: proxy.Address, registryTimeoutSeconds: 3);
            await work.StartUnitAsync();
            // The agent has verified what runs before the registry fails, as on a host it has run on: the ledger holds it.
            var (adopted, unit0) = await work.CheckUnitAsync(output);
            Assert.Equal("up to date", unit0.GetProperty("status").GetString());
            var latest = current;
            var build = 1;
            var cells = new List<(string Point, string Pass, string Next)>();
            foreach (var (point, after) in Points)
            {
                if (latest == current)
                {
                    latest = await work.ReleaseAsync($"1.{build++}.0");
                }
                var (exit, report, error) = await FaultyPassAsync(work, proxy, fault, after);
                proxy.Inject(FaultProxy.Fault.None);
                output.WriteLine($"{fault} from {point}: exit {exit}\n{report}\n{error}");

                var (running, unit) = await FaultMatrixTests.AssertSurvivedAsync(work, exit, report, error, current, latest);
                var status = unit.GetProperty("status").GetString();
                if (running == latest)
                {
                    Assert.Equal("updated", status);
                }
                else
                {
                    // Never "up to date" on the old release while a newer one waits: the report says what stopped it.
                    Assert.Contains(status, new[] { "undecided", "refused", "failed" });
                    // A script sees it: could not decide is exit 3, a failed pull 4.
                    Assert.Equal(status switch { "undecided" => 3, "failed" => 4, _ => 0 }, exit);
                    Assert.False(string.IsNullOrWhiteSpace(unit.GetProperty("detail").GetString()));
                }
                Assert.Equal("active", await work.UnitStateAsync());
                HistoryAssert.Complete(await work.HistoryAsync());

                // With the registry well again nothing of the fault is left: the candidate is accepted (a dry run moves nothing).
                var dry = await work.AgentProcessAsync(["check", "--config", work.ConfigPath, "--json", "--dry-run"]);
                var next = work.UnitReport(JsonDocument.Parse(dry.StandardOutput).RootElement).GetProperty("status").GetString();
                Assert.Equal(running == latest ? "up to date" : "pending", next);
                cells.Add((point, $"{status} (exit {exit}), runs {(running == latest ? "new" : "old")}", $"{next}, runs {(running == latest ? "new" : "old")}"));
                current = running;
            }

            // And a real pass moves the unit to the newest release.
            var (lastExit, last) = await work.CheckUnitAsync(output);
            if (current != latest)
            {
                await work.AssertUpdatedToAsync(lastExit, last, latest);
            }
            Assert.Equal(latest, await work.RunningDigestAsync());
            HistoryAssert.Complete(await work.HistoryAsync());
            // The three cells held only now that the real pass after them is clean too.
            foreach (var (point, pass, next) in cells)
            {
                await RecordCellAsync(fault, point, pass, next);
            }
        }
        finally
        {
            await work.StopUnitAsync();
            await testbed.ShellInGuestAsync($"rm -f {dropIn}; systemctl stop podman.service");
        }
    }

    /// <summary>A pass whose registry fails from the start, or from the moment the agent holds after step <paramref name="after"/>.</summary>
    private static async Task<(int Exit, JsonElement Report, string Error)> FaultyPassAsync(EngineWorkspace work, FaultProxy proxy, FaultProxy.Fault fault, string? after)
    {
        if (after is null)
        {
            proxy.Inject(fault);
            return await work.CheckAsync();
        }
        var pause = Path.Combine(work.Trust.Folder, "paused");
        var pass = work.CheckAsync(new Dictionary<string, string> { [FaultHooks.PauseVariable] = $"{after}:{pause}" });
        await FaultMatrixTests.WaitUntilPausedAsync(pause, pass);
        proxy.Inject(fault);
        File.Delete(pause);
        return await pass;
    }

    private async Task RecordCellAsync(FaultProxy.Fault fault, string point, string pass, string next)
    {
        await FaultMatrixTests.RecordRowAsync($"registry {Describe(fault)}", $"during {point}", testbed.Guest, pass, next);
        output.WriteLine($"cell held: registry {fault} from {point}");
    }

    private static string Describe(FaultProxy.Fault fault) => fault switch
    {
        FaultProxy.Fault.ServerError => "500",
        FaultProxy.Fault.TooManyRequests => "429",
        FaultProxy.Fault.Hang => "stall",
        FaultProxy.Fault.Reset => "reset",
        FaultProxy.Fault.TruncateManifest => "truncated body",
        FaultProxy.Fault.WrongDigest => "wrong digest",
        FaultProxy.Fault.HugeManifest => "10 MB manifest",
        _ => fault.ToString(),
    };
}
