using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Tests;

/// <summary>Updates left unfinished by a killed agent are resolved on start from the journal.</summary>
public sealed class RecoveryTests
{
    private static long Interrupted(Rig rig, params UpdateStep[] stepsWithOutcome)
    {
        var id = rig.History.BeginUpdate("app.service", Rig.App, Rig.Old, Rig.New, "img-old", "accepted", "release-gate", "");
        foreach (var step in stepsWithOutcome)
        {
            rig.History.RecordIntent(id, step, "about to");
            rig.History.RecordOutcome(id, step, "done");
        }
        return id;
    }

    [Fact]
    public async Task Killed_after_the_pull_nothing_changed_so_the_update_is_abandoned()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        var id = Interrupted(rig, UpdateStep.Pull);
        var state = Assert.Single(await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None)));
        Assert.Equal(UnitStatus.Abandoned, state.Status);
        Assert.Equal(UnitStatus.Abandoned, rig.History.Get(id)!.Status);
        Assert.Empty(rig.Units.Restarts);
        Assert.Empty(rig.History.Unfinished());
    }

    [Fact]
    public async Task Killed_after_the_tag_the_previous_image_is_put_back_without_quarantine()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        var id = Interrupted(rig, UpdateStep.Pull, UpdateStep.Tag);
        rig.Podman.Tags[Rig.App] = "img-" + Rig.New; // the tag had moved
        var state = Assert.Single(await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None)));
        Assert.Equal(UnitStatus.Abandoned, state.Status);
        Assert.Equal("img-old", rig.Podman.Tags[Rig.App]);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.False(rig.History.IsQuarantined("app.service", Rig.New));
        Assert.Equal(UnitStatus.Abandoned, rig.History.Get(id)!.Status);
    }

    [Fact]
    public async Task The_machine_journals_each_state_with_its_data_and_the_rollbacks_verdict_before_undoing()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = UpdateAgent.Core.Ports.VerdictOutcome.Accepted;
        rig.Units.ActiveWith = image => image != "img-" + Rig.New;
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.RolledBack, report.Status);
        var state = rig.History.History("app.service").First().State;
        Assert.NotNull(state);
        Assert.Equal((nameof(RollingBack), Rig.New, true, true), (state.Kind, state.Candidate, state.Quarantine, state.Acting));
        Assert.Contains("failed", state.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_after_a_failed_gate_was_journaled_the_rollback_is_finished_as_the_verdict_it_was()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        var id = rig.History.BeginPendingUpdate("app.service", Rig.App, Rig.Old, Rig.New, "img-old", "release-gate", "", Rig.New, "accepted");
        var plan = new UnitPlanner(rig.Options).ForRecord(rig.History.Get(id)!, null);
        var gate = new HealthGating(plan, Rig.New, id);
        rig.History.RecordIntent(id, UpdateStep.HealthGate, "gate", UpdateMachine.Journaled(gate) with { Acting = true });
        // The gate said no and the verdict was journaled with its outcome; the agent died before the quarantine row was written.
        rig.History.RecordOutcome(id, UpdateStep.HealthGate, "app unhealthy",
            UpdateMachine.Journaled(new RollingBack(plan, Rig.New, id, "health gate failed: app unhealthy", Quarantine: true)));
        rig.Podman.Tags[Rig.App] = "img-" + Rig.New;
        rig.Podman.ImageDigests["img-" + Rig.New] = $"127.0.0.1:5000/acme/app@{Rig.New}";
        rig.Podman.Restarted("app.service");

        var state = Assert.Single(await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None)));
        Assert.Equal(UnitStatus.RolledBack, state.Status);
        Assert.True(rig.History.IsQuarantined("app.service", Rig.New));
        Assert.Contains("health gate failed: app unhealthy", state.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage());
    }

    [Fact]
    public async Task Killed_after_the_pull_was_journaled_nothing_is_touched()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        var id = rig.History.BeginPendingUpdate("app.service", Rig.App, Rig.Old, Rig.New, "img-old", "release-gate", "", Rig.New, "accepted");
        var plan = new UnitPlanner(rig.Options).ForRecord(rig.History.Get(id)!, null);
        rig.History.RecordOutcome(id, UpdateStep.Pull, "image img-new", UpdateMachine.Journaled(new Tagging(plan, Rig.New, id, "img-new")));
        var state = Assert.Single(await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None)));
        Assert.Equal(UnitStatus.Abandoned, state.Status);
        Assert.Empty(rig.Units.Restarts);
        Assert.DoesNotContain(rig.Podman.Calls, c => c.StartsWith("tag ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pass_resolves_a_record_left_open_but_a_dry_run_touches_nothing()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        rig.Verifier.Outcomes[Rig.Old] = UpdateAgent.Core.Ports.VerdictOutcome.Accepted;
        var id = Interrupted(rig, UpdateStep.Pull, UpdateStep.Tag);
        rig.Podman.Tags[Rig.App] = "img-" + Rig.New; // the tag had moved when the journal write failed

        await rig.PassAsync(new PassRequest(DryRun: true));
        Assert.Equal(UnitStatus.InProgress, rig.History.Get(id)!.Status);
        Assert.Equal("img-" + Rig.New, rig.Podman.Tags[Rig.App]);

        await rig.PassAsync();
        Assert.Equal(UnitStatus.Abandoned, rig.History.Get(id)!.Status);
        Assert.Equal("img-old", rig.Podman.Tags[Rig.App]);
    }

    [Fact]
    public async Task Recovery_judges_health_with_the_units_labels_as_the_pass_does()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Podman.UnitLabels[Health.HealthLabels.Url] = "http://127.0.0.1:8080/health";
        var id = Interrupted(rig, UpdateStep.Pull, UpdateStep.Tag, UpdateStep.Restart);
        rig.History.RecordIntent(id, UpdateStep.HealthGate, "gate");
        rig.Podman.Tags[Rig.App] = "img-" + Rig.New;
        rig.Podman.ImageDigests["img-" + Rig.New] = $"127.0.0.1:5000/acme/app@{Rig.New}";
        rig.Podman.Restarted("app.service");
        for (var i = 0; i < 1000; i++)
        {
            rig.Http.Answers.Enqueue(false); // the candidate's own health URL, from its label, keeps saying no
        }

        var state = Assert.Single(await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None)));
        Assert.Equal(UnitStatus.RolledBack, state.Status);
        Assert.Contains("GET http://127.0.0.1:8080/health", state.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage());
    }

    [Fact]
    public async Task Killed_during_the_health_gate_the_gate_is_finished_and_the_update_committed()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        var id = Interrupted(rig, UpdateStep.Pull, UpdateStep.Tag, UpdateStep.Restart);
        rig.History.RecordIntent(id, UpdateStep.HealthGate, "gate");
        rig.Podman.Tags[Rig.App] = "img-" + Rig.New;
        rig.Podman.ImageDigests["img-" + Rig.New] = $"127.0.0.1:5000/acme/app@{Rig.New}";
        rig.Podman.Restarted("app.service");
        var state = Assert.Single(await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None)));
        Assert.Equal(UnitStatus.Updated, state.Status);
        Assert.Equal(UnitStatus.Updated, rig.History.Get(id)!.Status);
        Assert.Equal("img-" + Rig.New, rig.RunningImage());
    }

    [Fact]
    public async Task Killed_during_a_rollback_the_rollback_is_finished()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        var id = Interrupted(rig, UpdateStep.Pull, UpdateStep.Tag, UpdateStep.Restart, UpdateStep.HealthGate);
        rig.History.RecordIntent(id, UpdateStep.RollBack, "rolling back");
        rig.History.Quarantine("app.service", Rig.New, "health gate failed"); // what a quarantining rollback writes first
        rig.Podman.Tags[Rig.App] = "img-" + Rig.New;
        rig.Podman.Restarted("app.service");
        var state = Assert.Single(await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None)));
        Assert.Equal(UnitStatus.RolledBack, state.Status);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.True(rig.History.IsQuarantined("app.service", Rig.New));
    }

    [Fact]
    public async Task Stopped_while_undoing_an_interrupted_update_the_healthy_candidate_is_not_quarantined()
    {
        // SIGTERM during the gate: the agent began to undo the update (no verdict on the candidate) and was stopped again.
        using var rig = new Rig().WithApp(remote: Rig.New);
        var id = Interrupted(rig, UpdateStep.Pull, UpdateStep.Tag, UpdateStep.Restart, UpdateStep.HealthGate);
        rig.History.RecordIntent(id, UpdateStep.RollBack, "rolling back");
        rig.Podman.Tags[Rig.App] = "img-" + Rig.New;
        rig.Podman.Restarted("app.service");
        var state = Assert.Single(await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None)));
        Assert.Equal(UnitStatus.Abandoned, state.Status);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.False(rig.History.IsQuarantined("app.service", Rig.New));
        Assert.Equal(UnitStatus.Abandoned, rig.History.Get(id)!.Status);
    }
}
