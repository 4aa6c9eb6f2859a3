using Microsoft.Data.Sqlite;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;
using UpdateAgent.Core.Tests.Fakes;
using Xunit.Abstractions;

namespace UpdateAgent.Core.Tests;

/// <summary>
/// The one failure rule, call site by call site: a pass is run once to list every call the engine
/// makes to its ports and its store, then once per call with exactly that call throwing — the
/// port's own failure, and an exception nobody expected. Every time: the pass ends with a report
/// for every unit, no record stays "in progress", a unit moved off its image is put back (or the
/// report says the rollback failed), and one clean pass later every unit runs what its ledger
/// says was verified.
/// </summary>
public sealed class FailureRuleTests(ITestOutputHelper output)
{
    private const string Other = "127.0.0.1:5000/acme/other:latest";

    public static TheoryData<string, bool> Cases => new()
    {
        { "healthy", false }, { "healthy", true }, { "unhealthy", false }, { "unhealthy", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_call_that_throws_fails_only_its_unit_and_leaves_it_on_a_verified_image(string scenario, bool unexpected)
    {
        var sites = await CallSitesAsync(scenario);
        Assert.True(sites.Count > 20, $"only {sites.Count} calls listed: the scenario does not reach the update steps");
        for (var i = 0; i < sites.Count; i++)
        {
            var faults = new FaultInjector { ThrowAt = i, Make = site => Fault(site, unexpected) };
            using var rig = Scenario(scenario, faults);
            faults.Armed = true;
            PassReport? report = null;
            try
            {
                report = await rig.PassAsync();
            }
            catch (ContainerHostException) when (faults.Thrown == "IContainerHost.DiscoverUnitsAsync")
            {
                // Without discovery there are no units to report on; the daemon logs the pass as failed.
            }
            catch (InvalidOperationException) when (faults.Thrown == "IContainerHost.DiscoverUnitsAsync")
            {
            }
            var at = $"fault {i} at {faults.Thrown} ({(unexpected ? "unexpected" : "port's own")} exception, {scenario})";
            Assert.NotNull(faults.Thrown);
            if (report is not null)
            {
                Assert.True(report.Units.Select(u => u.Unit).Order().SequenceEqual(["app.service", "other.service"]), $"{at}: {string.Join(", ", report.Units.Select(u => u.Unit))}");
                foreach (var unit in report.Units)
                {
                    AssertOnItsImage(rig, unit, at);
                }
            }
            if (!faults.Thrown!.StartsWith("history", StringComparison.Ordinal))
            {
                Assert.True(rig.History.Unfinished().Count == 0, $"{at}: a record stays in progress");
            }

            var next = await rig.PassAsync();
            Assert.True(rig.History.Unfinished().Count == 0, $"{at}: a record stays in progress after the next pass");
            foreach (var unit in new[] { "app.service", "other.service" })
            {
                var image = rig.RunningImage(unit);
                var verified = rig.History.CurrentVerified(unit);
                Assert.True(verified is not null && verified.ImageId == image,
                    $"{at}: after the next pass {unit} runs {image}, the ledger says {verified?.ImageId} ({string.Join("; ", next.Units.Select(u => $"{u.Unit} {u.Status}: {u.Detail}"))})");
            }
            Assert.Equal("img-" + Rig.New, rig.RunningImage("other.service"));
            Assert.Equal(scenario == "healthy" ? "img-" + Rig.New : "img-old", rig.RunningImage("app.service"));
        }
        output.WriteLine($"{scenario}, {(unexpected ? "unexpected" : "port")} exceptions: {sites.Count} call sites, each failed once: {string.Join(", ", sites.Distinct())}");
    }

    private static void AssertOnItsImage(Rig rig, UnitReport unit, string at)
    {
        var image = rig.RunningImage(unit.Unit);
        var detail = $"{at}: {unit.Unit} {unit.Status} on {image}: {unit.Detail}";
        switch (unit.Status)
        {
            case UnitStatus.Updated:
                Assert.True(image == "img-" + Rig.New, detail);
                break;
            case UnitStatus.Failed when unit.Detail.Contains("rollback failed too", StringComparison.Ordinal):
                // The one case a person must act on (or the next pass): the report says so.
                break;
            default:
                Assert.True(image is "img-old" or "img-other", detail);
                Assert.True(rig.Podman.Tags[unit.Unit == "app.service" ? Rig.App : Other] == image, $"{detail}: the tag no longer names what runs");
                break;
        }
    }

    private static async Task<List<string>> CallSitesAsync(string scenario)
    {
        var faults = new FaultInjector();
        using var rig = Scenario(scenario, faults);
        faults.Armed = true;
        await rig.PassAsync();
        return [.. faults.Sites];
    }

    /// <summary>Two units with a signed candidate each; in "unhealthy" app.service's candidate fails its gate.</summary>
    private static Rig Scenario(string scenario, FaultInjector faults)
    {
        var rig = new Rig(faults: faults).WithApp(remote: Rig.New);
        rig.Podman.AddUnit("other.service", Other, "img-other", Rig.Old);
        rig.Registry.TagDigests[Other] = Rig.New;
        rig.Verified("other.service", Rig.Old, "img-other", Other);
        rig.Verifier.Outcomes[Rig.Old] = VerdictOutcome.Accepted;
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        if (scenario == "unhealthy")
        {
            rig.Units.ActiveFor = (unit, image) => unit != "app.service" || image != "img-" + Rig.New;
        }
        return rig;
    }

    private static Exception Fault(string site, bool unexpected) => unexpected
        ? new InvalidOperationException($"injected bug at {site}")
        : site switch
        {
            _ when site.StartsWith("history", StringComparison.Ordinal) => new SqliteException("database or disk is full", 13),
            _ when site.StartsWith("IContainerHost", StringComparison.Ordinal) => new ContainerHostException($"injected podman failure at {site}"),
            _ when site.StartsWith("IUnitControl", StringComparison.Ordinal) => new UnitControlException($"injected D-Bus failure at {site}"),
            _ when site.StartsWith("ITagResolver", StringComparison.Ordinal) => new RegistryLookupException($"injected registry failure at {site}"),
            _ => new TimeoutException($"injected timeout at {site}"),
        };

    [Fact]
    public async Task A_history_that_cannot_be_written_is_named_in_the_units_report()
    {
        var faults = new FaultInjector { AlwaysAt = "history: INSERT", Make = _ => new SqliteException("database or disk is full", 13) };
        using var rig = Scenario("healthy", faults);
        faults.Armed = true;

        var app = (await rig.PassAsync()).Units.Single(u => u.Unit == "app.service");
        Assert.Equal(UnitStatus.Failed, app.Status);
        Assert.StartsWith("the history could not be read or written (", app.Detail, StringComparison.Ordinal);
        Assert.Contains("database or disk is full", app.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage("app.service"));
    }

    [Fact]
    public async Task A_health_gate_that_cannot_run_twice_quarantines_the_candidate_instead_of_restarting_for_ever()
    {
        var faults = new FaultInjector { AlwaysAt = "IContainerHost.RunHealthCheckAsync", Make = site => new TimeoutException($"podman did not answer {site} in time") };
        using var rig = Scenario("healthy", faults);
        rig.Podman.Health = HealthStatus.Healthy;
        faults.Armed = true;

        var first = (await rig.PassAsync()).Units.Single(u => u.Unit == "app.service");
        Assert.Equal(UnitStatus.Abandoned, first.Status);
        var second = (await rig.PassAsync()).Units.Single(u => u.Unit == "app.service");
        Assert.Equal(UnitStatus.RolledBack, second.Status);
        Assert.Contains("could not run on an earlier attempt", second.Detail, StringComparison.Ordinal);
        var restarts = rig.Units.Restarts.Count;

        var third = (await rig.PassAsync()).Units.Single(u => u.Unit == "app.service");
        Assert.Equal(UnitStatus.Quarantined, third.Status);
        Assert.Equal(restarts, rig.Units.Restarts.Count);
        Assert.Equal("img-old", rig.RunningImage("app.service"));
        Assert.Empty(rig.History.Unfinished());
    }

    [Fact]
    public async Task An_attempt_the_agent_was_stopped_in_is_not_counted_as_a_health_gate_that_could_not_run()
    {
        var faults = new FaultInjector { AlwaysAt = "IContainerHost.RunHealthCheckAsync", Make = site => new TimeoutException($"podman did not answer {site} in time") };
        using var rig = Scenario("healthy", faults);
        rig.Podman.Health = HealthStatus.Healthy;
        // An earlier attempt at the same candidate, abandoned because the agent was stopped during its gate.
        var stopped = rig.History.BeginUpdate("app.service", Rig.App, Rig.Old, Rig.New, "img-old", "accepted", "ci,gate", "");
        rig.History.RecordIntent(stopped, UpdateStep.HealthGate, "health gate of app.service");
        rig.History.RecordOutcome(stopped, UpdateStep.HealthGate, "the agent stopped during the health gate");
        rig.History.Finish(stopped, UnitStatus.Abandoned, "the agent stopped during the health gate");
        faults.Armed = true;

        // The first gate that cannot run undoes the update without a verdict; only a second one quarantines.
        var first = (await rig.PassAsync()).Units.Single(u => u.Unit == "app.service");
        Assert.Equal(UnitStatus.Abandoned, first.Status);
        Assert.DoesNotContain("could not run on an earlier attempt", first.Detail, StringComparison.Ordinal);
        Assert.Empty(rig.History.QuarantineList());
    }
}
