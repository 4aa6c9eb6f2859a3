using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Tests;

/// <summary>Every transition of one unit's update, against fakes and a real history file.</summary>
public sealed class UpdateMachineTests
{
    [Fact]
    public async Task A_unit_that_runs_what_the_tag_names_is_up_to_date_and_not_verified()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.UpToDate, report.Status);
        Assert.Empty(rig.Verifier.Verified);
        Assert.DoesNotContain(rig.Podman.Calls, c => c.StartsWith("pull", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_candidate_is_never_pulled_and_is_recorded_once()
    {
        using var rig = new Rig().WithApp(remote: Rig.Bad);
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Refused, report.Status);
        Assert.Contains("wrong-source", report.ReasonCodes);
        Assert.Contains("old-sibling", report.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Podman.Calls, c => c.StartsWith("pull", StringComparison.Ordinal) || c.StartsWith("tag", StringComparison.Ordinal));
        Assert.Empty(rig.Units.Restarts);
        Assert.Equal("img-old", rig.RunningImage());

        await rig.PassAsync();
        var rows = rig.History.History("app.service");
        var row = Assert.Single(rows);
        Assert.Equal(UnitStatus.Refused, row.Status);
        Assert.Equal(Rig.Old, row.FromDigest);
        Assert.Equal(Rig.Bad, row.ToDigest);
    }

    [Fact]
    public async Task An_accepted_candidate_is_pulled_by_digest_tagged_restarted_judged_and_committed()
    {
        using var rig = new Rig(soak: TimeSpan.FromSeconds(30)).WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        var report = Assert.Single((await rig.PassAsync()).Units);

        Assert.Equal(UnitStatus.Updated, report.Status);
        Assert.Equal("release-gate", report.Signers);
        Assert.Equal(
            [
                "discover",
                $"pull 127.0.0.1:5000/acme/app@{Rig.New}",
                "tag img-old 127.0.0.1:5000/acme/app:update-agent-rollback-app.service",
                $"tag img-{Rig.New} {Rig.App}",
            ], rig.Podman.Calls);
        Assert.Equal($"img-{Rig.New}", rig.RunningImage());
        Assert.Equal(["resolve", "verify", "pull", "tag", "restart", "health-gate"], rig.Checkpoints);

        var row = Assert.Single(rig.History.History("app.service"));
        Assert.Equal(UnitStatus.Updated, row.Status);
        Assert.Equal("img-old", row.PreviousImageId);
        var steps = rig.History.Steps(row.Id).Select(s => $"{s.Step} {s.Phase}").ToList();
        Assert.Equal(["Pull intent", "Pull outcome", "Tag intent", "Tag outcome", "Restart intent", "Restart outcome", "HealthGate intent", "HealthGate outcome"], steps);
        Assert.Contains(Rig.Old, rig.History.ReplacedDigests("app.service"));
        Assert.Equal(Rig.New, rig.History.LastCommittedDigest("app.service"));
    }

    [Fact]
    public async Task An_unhealthy_candidate_is_rolled_back_to_the_exact_previous_image_quarantined_and_not_retried()
    {
        using var rig = new Rig(soak: TimeSpan.FromSeconds(10)).WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Units.ActiveWith = image => image != $"img-{Rig.New}";

        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.RolledBack, report.Status);
        Assert.Contains("health gate failed", report.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.Equal("img-old", rig.Podman.Tags[Rig.App]);
        Assert.Equal(["app.service → img-" + Rig.New, "app.service → img-old"], rig.Units.Restarts);
        Assert.True(rig.History.IsQuarantined("app.service", Rig.New));

        rig.Verifier.Verified.Clear();
        var next = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Quarantined, next.Status);
        Assert.Empty(rig.Verifier.Verified);
        Assert.Equal(2, rig.Units.Restarts.Count);

        Assert.True(rig.History.ReleaseQuarantine("app.service", Rig.New));
        Assert.False(rig.History.IsQuarantined("app.service", Rig.New));
    }

    [Fact]
    public async Task A_restart_job_that_does_not_end_done_rolls_back()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Units.ResultFor = image => image == $"img-{Rig.New}" ? "failed" : "done";
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.RolledBack, report.Status);
        Assert.Contains("restart failed: job failed", report.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage());
    }

    [Fact]
    public async Task A_container_health_check_that_turns_unhealthy_rolls_back()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Podman.Health = HealthStatus.Unhealthy;
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.RolledBack, report.Status);
        Assert.Contains("app unhealthy", report.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VerdictOutcome.Undecided, UnitStatus.Undecided)]
    public async Task An_undecided_verdict_changes_nothing(VerdictOutcome outcome, UnitStatus status)
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = outcome;
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(status, report.Status);
        Assert.Empty(rig.Units.Restarts);
        Assert.Empty(rig.History.History());
    }

    [Fact]
    public async Task A_dry_run_and_a_held_unit_report_without_touching_the_host()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        Assert.Equal(UnitStatus.Pending, Assert.Single((await rig.PassAsync(new PassRequest(DryRun: true))).Units).Status);
        rig.History.Hold("app.service", "freeze for the audit");
        var held = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Held, held.Status);
        Assert.Contains("freeze for the audit", held.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Podman.Calls, c => c.StartsWith("pull", StringComparison.Ordinal));
        Assert.True(rig.History.ReleaseHold("app.service"));
        Assert.Equal(UnitStatus.Updated, Assert.Single((await rig.PassAsync()).Units).Status);
    }

    [Fact]
    public async Task The_verifier_learns_what_runs_and_what_was_replaced()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        await rig.PassAsync();
        rig.Registry.TagDigests[Rig.App] = Rig.Old; // the stale digest is pushed back to :latest
        await rig.PassAsync();
        Assert.Equal(Rig.New, rig.Verifier.LastRunning?.Digest);
        Assert.Contains(Rig.Old, rig.Verifier.LastRunning!.ReplacedDigests);
    }

    [Fact]
    public async Task The_signed_version_of_what_runs_is_kept_so_the_next_candidate_is_compared_with_it()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.SignedVersions[Rig.New] = "2.1.0";
        await rig.PassAsync();
        rig.Registry.TagDigests[Rig.App] = Rig.Old;
        await rig.PassAsync();

        Assert.Equal("2.1.0", rig.History.CurrentVerified("app.service")?.SignedVersion);
        Assert.Equal("2.1.0", rig.Verifier.LastRunning?.SignedVersion);
    }
}
