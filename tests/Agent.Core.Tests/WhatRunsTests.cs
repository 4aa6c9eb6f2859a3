using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Tests;

/// <summary>
/// What runs is what was verified: every pass judges the digest a unit runs, against the ledger or
/// the trust policy, and restores (or reports) what was not verified — never "up to date".
/// </summary>
public sealed class WhatRunsTests
{
    private const string Platform = "sha256:00000000000000000000000000000000000000000000000000000000000000a1";

    /// <summary>Someone pulled the sibling's image under the unit's tag and restarted it (a hand pull, podman auto-update, Pull=).</summary>
    private static void RunsZombie(Rig rig, string unit = "app.service")
    {
        rig.Podman.ImageDigests["img-bad"] = $"{Fakes.FakePodman.Repo(Rig.App)}@{Rig.Bad}";
        rig.Podman.Tags[Rig.App] = "img-bad";
        rig.Podman.Restarted(unit);
    }

    [Fact]
    public async Task An_unsigned_image_a_unit_already_runs_is_unverified_reported_and_left_running()
    {
        using var rig = new Rig();
        rig.Podman.AddUnit("app.service", Rig.App, "img-bad", Rig.Bad);
        rig.Registry.TagDigests[Rig.App] = Rig.Bad;
        for (var pass = 0; pass < 2; pass++)
        {
            var report = Assert.Single((await rig.PassAsync()).Units);
            Assert.Equal(UnitStatus.Unverified, report.Status);
            Assert.Contains("did not verify", report.Detail, StringComparison.Ordinal);
            Assert.Contains("old-sibling", report.Detail, StringComparison.Ordinal);
            Assert.Contains("nothing to restore", report.Detail, StringComparison.Ordinal);
        }
        Assert.Empty(rig.Units.Restarts);
        Assert.Null(rig.History.CurrentVerified("app.service"));
        Assert.Equal(UnitStatus.Unverified, Assert.Single(rig.History.UnitChecks()).Status);
    }

    [Fact]
    public async Task A_signed_image_a_unit_already_runs_is_adopted_once_and_then_costs_nothing()
    {
        using var rig = new Rig();
        rig.Podman.AddUnit("app.service", Rig.App, "img-old", Rig.Old);
        rig.Registry.TagDigests[Rig.App] = Rig.Old;
        rig.Verifier.Outcomes[Rig.Old] = VerdictOutcome.Accepted;
        Assert.Equal(UnitStatus.UpToDate, Assert.Single((await rig.PassAsync()).Units).Status);
        var entry = rig.History.CurrentVerified("app.service");
        Assert.Equal(("adopted", Rig.Old, "img-old"), (entry?.How, entry?.Digest, entry?.ImageId));

        rig.Verifier.Verified.Clear();
        Assert.Equal(UnitStatus.UpToDate, Assert.Single((await rig.PassAsync()).Units).Status);
        Assert.Empty(rig.Verifier.Verified);
    }

    [Fact]
    public async Task A_zombie_pulled_behind_the_agents_back_is_replaced_by_the_last_verified_digest()
    {
        using var rig = new Rig().WithApp(remote: Rig.Bad);
        RunsZombie(rig);
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Restored, report.Status);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.Equal("img-old", rig.Podman.Tags[Rig.App]);
        var row = rig.History.History("app.service")[0];
        Assert.Equal((UnitStatus.Restored, Rig.Bad, Rig.Old), (row.Status, row.FromDigest, row.ToDigest));
        // The rollback tag never keeps an unverified image.
        Assert.DoesNotContain(rig.Podman.Calls, c => c.StartsWith("tag img-bad", StringComparison.Ordinal));

        var next = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Refused, next.Status);
        Assert.Equal(Rig.Old, next.RunningDigest);
    }

    [Fact]
    public async Task A_restore_pulls_the_verified_digest_again_when_its_image_was_removed()
    {
        using var rig = new Rig().WithApp(remote: Rig.Bad);
        RunsZombie(rig);
        rig.Podman.ImageDigests.Remove("img-old");
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Restored, report.Status);
        Assert.Contains($"pull {Fakes.FakePodman.Repo(Rig.App)}@{Rig.Old}", rig.Podman.Calls);
        Assert.Equal("img-" + Rig.Old, rig.RunningImage());
    }

    [Fact]
    public async Task With_on_unverified_report_the_zombie_is_only_reported()
    {
        using var rig = new Rig(onUnverified: UnverifiedAction.Report).WithApp(remote: Rig.Bad);
        RunsZombie(rig);
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Unverified, report.Status);
        Assert.Contains("on_unverified = \"report\"", report.Detail, StringComparison.Ordinal);
        Assert.Empty(rig.Units.Restarts);
        Assert.Equal("img-bad", rig.RunningImage());
    }

    [Fact]
    public async Task A_restore_whose_health_gate_fails_stays_on_the_verified_image()
    {
        using var rig = new Rig().WithApp(remote: Rig.Bad);
        RunsZombie(rig);
        rig.Units.ActiveWith = image => image != "img-old";
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Failed, report.Status);
        Assert.Contains("rather than return to the unverified", report.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.Empty(rig.History.Unfinished());
    }

    [Fact]
    public async Task An_older_signed_release_brought_back_by_hand_is_a_zombie_too()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        Assert.Equal(UnitStatus.Updated, Assert.Single((await rig.PassAsync()).Units).Status);
        // The stale :latest comes back (the first incident): signed, but the unit moved away from it.
        rig.Verifier.Outcomes[Rig.Old] = VerdictOutcome.Accepted;
        rig.Podman.Tags[Rig.App] = "img-old";
        rig.Podman.Restarted("app.service");
        rig.Verifier.ReplacedAreRefused = true;
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Restored, report.Status);
        Assert.Equal("img-" + Rig.New, rig.RunningImage());
    }

    [Fact]
    public async Task A_held_unit_is_kept_on_its_digest_even_when_another_signed_one_arrives()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.History.Hold("app.service", "change freeze");
        rig.Podman.ImageDigests["img-new"] = $"{Fakes.FakePodman.Repo(Rig.App)}@{Rig.New}";
        rig.Podman.Tags[Rig.App] = "img-new";
        rig.Podman.Restarted("app.service");
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Restored, report.Status);
        Assert.Equal("img-old", rig.RunningImage());
    }

    [Fact]
    public async Task From_an_index_the_verified_platform_manifest_is_pulled_and_then_counts_as_up_to_date()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.Platforms[Rig.New] = Platform;
        Assert.Equal(UnitStatus.Updated, Assert.Single((await rig.PassAsync()).Units).Status);
        Assert.Contains($"pull {Fakes.FakePodman.Repo(Rig.App)}@{Platform}", rig.Podman.Calls);
        Assert.DoesNotContain($"pull {Fakes.FakePodman.Repo(Rig.App)}@{Rig.New}", rig.Podman.Calls);
        var entry = rig.History.CurrentVerified("app.service");
        Assert.Equal((Rig.New, Platform, "updated"), (entry?.Digest, entry?.PlatformDigest, entry?.How));

        rig.Verifier.Verified.Clear();
        var next = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.UpToDate, next.Status);
        Assert.Empty(rig.Verifier.Verified);
    }

    [Fact]
    public async Task A_quarantined_platform_manifest_in_a_fresh_index_stays_quarantined()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.Platforms[Rig.New] = Platform;
        rig.Units.ActiveWith = image => image != "img-" + Platform;
        Assert.Equal(UnitStatus.RolledBack, Assert.Single((await rig.PassAsync()).Units).Status);
        Assert.True(rig.History.IsQuarantined("app.service", Platform));
        Assert.Null(rig.History.Pending(1));

        const string rewrapped = "sha256:00000000000000000000000000000000000000000000000000000000000000b2";
        rig.Registry.TagDigests[Rig.App] = rewrapped;
        rig.Verifier.Outcomes[rewrapped] = VerdictOutcome.Accepted;
        rig.Verifier.Platforms[rewrapped] = Platform;
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Quarantined, report.Status);
        Assert.Equal("img-old", rig.RunningImage());
    }

    [Fact]
    public async Task A_registry_outage_while_judging_what_runs_is_undecided_and_restarts_nothing()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        rig.Podman.ImageDigests["img-other"] = $"{Fakes.FakePodman.Repo(Rig.App)}@{Rig.New}";
        rig.Podman.Tags[Rig.App] = "img-other";
        rig.Podman.Restarted("app.service");
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Undecided;
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Undecided, report.Status);
        Assert.Empty(rig.Units.Restarts);
    }

    [Fact]
    public async Task The_local_policy_restarts_into_the_image_it_verified_even_if_the_tag_moves_meanwhile()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        rig.Podman.Policies["app.service"] = UpdateAgent.Core.Ports.AutoUpdatePolicy.Local;
        rig.Podman.ImageDigests["img-new"] = $"{Fakes.FakePodman.Repo(Rig.App)}@{Rig.New}";
        rig.Podman.Tags[Rig.App] = "img-new";
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        // While the candidate is being verified, something points the tag at another image.
        rig.Verifier.OnVerify = digest =>
        {
            if (digest == Rig.New)
            {
                rig.Podman.ImageDigests["img-bad"] = $"{Fakes.FakePodman.Repo(Rig.App)}@{Rig.Bad}";
                rig.Podman.Tags[Rig.App] = "img-bad";
            }
        };
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Updated, report.Status);
        Assert.Equal("img-new", rig.RunningImage());
        Assert.Equal("img-new", rig.History.CurrentVerified("app.service")?.ImageId);
    }

    [Fact]
    public async Task A_local_image_without_a_registry_digest_is_unmanageable_with_the_way_out_and_nothing_restarts()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        rig.Podman.Policies["app.service"] = UpdateAgent.Core.Ports.AutoUpdatePolicy.Local;
        // Built on the host: the tag names an image no registry has a digest for.
        rig.Podman.Tags[Rig.App] = "img-built-here";
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Unmanageable, report.Status);
        Assert.Contains("has no registry digest", report.Detail, StringComparison.Ordinal);
        Assert.Contains("push it to a registry, sign it", report.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.Empty(rig.Units.Restarts);
        Assert.Empty(rig.Verifier.Verified);
    }

    [Fact]
    public async Task An_image_whose_registry_registries_conf_blocks_is_unmanageable_with_the_way_out_and_nothing_restarts()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Registry.Blocked.Add(Rig.App);
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Unmanageable, report.Status);
        Assert.Contains("blocked in /etc/containers/registries.conf", report.Detail, StringComparison.Ordinal);
        Assert.Contains("unblock it there", report.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.Empty(rig.Units.Restarts);
        Assert.Empty(rig.Verifier.Verified);
    }

    [Fact]
    public async Task Each_unit_keeps_its_last_verified_images_and_older_ones_it_replaced_are_removed()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        var digests = Enumerable.Range(0x10, 4).Select(i => $"sha256:{new string('0', 62)}{i:x2}").ToList();
        rig.Podman.Tags["127.0.0.1:5000/acme/app:pinned-by-hand"] = "img-old";
        foreach (var digest in digests)
        {
            rig.Registry.TagDigests[Rig.App] = digest;
            rig.Verifier.Outcomes[digest] = VerdictOutcome.Accepted;
            Assert.Equal(UnitStatus.Updated, Assert.Single((await rig.PassAsync()).Units).Status);
        }
        // Five verified images so far (img-old and four updates); keep_images = 3 keeps the newest three.
        Assert.Equal("img-" + digests[3], rig.RunningImage());
        Assert.Contains("remove img-" + digests[0], rig.Podman.Calls);
        Assert.True(rig.Podman.ImageDigests.ContainsKey("img-" + digests[1]), "the rollback image was removed");
        Assert.True(rig.Podman.ImageDigests.ContainsKey("img-" + digests[2]));
        // Another tag names img-old: it is not the agent's to remove.
        Assert.DoesNotContain("remove img-old", rig.Podman.Calls);
    }

    [Fact]
    public async Task A_unit_the_guard_kept_from_starting_a_zombie_is_restored_and_started()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        Assert.Equal(UnitStatus.UpToDate, Assert.Single((await rig.PassAsync()).Units).Status);
        rig.Podman.ImageDigests["img-bad"] = $"{Fakes.FakePodman.Repo(Rig.App)}@{Rig.Bad}";
        rig.Podman.Tags[Rig.App] = "img-bad";
        rig.Podman.ContainerGone("app.service");

        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Restored, report.Status);
        Assert.Equal("img-old", rig.RunningImage());
        Assert.Equal("img-old", rig.Podman.Tags[Rig.App]);
    }

    [Fact]
    public async Task A_unit_whose_container_is_gone_is_not_running_never_up_to_date()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        await rig.PassAsync();
        rig.Podman.ContainerGone("app.service");
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.NotRunning, report.Status);
        Assert.Contains("verified image", report.Detail, StringComparison.Ordinal);
        Assert.Empty(rig.Units.Restarts);
    }

    [Fact]
    public async Task A_unit_that_pulls_on_start_is_unmanageable_and_never_touched()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Units.ExecStart["app.service"] = [["/usr/bin/podman", "run", "--name", "app", "--rm", "--pull", "newer", Rig.App]];
        RunsZombie(rig);
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Unmanageable, report.Status);
        Assert.Contains("Pull=missing", report.Detail, StringComparison.Ordinal);
        Assert.Empty(rig.Verifier.Verified);
        Assert.Empty(rig.Units.Restarts);
        Assert.DoesNotContain(rig.Podman.Calls, c => c.StartsWith("pull", StringComparison.Ordinal) || c.StartsWith("tag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_quarantined_release_pulled_by_hand_is_not_adopted_but_replaced()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Units.ActiveWith = image => image != "img-" + Rig.New;
        Assert.Equal(UnitStatus.RolledBack, Assert.Single((await rig.PassAsync()).Units).Status);
        // Someone pulls :latest by hand (it names the quarantined release) and restarts the unit.
        rig.Units.ActiveWith = _ => true;
        rig.Podman.Tags[Rig.App] = "img-" + Rig.New;
        rig.Podman.Restarted("app.service");
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Restored, report.Status);
        Assert.Contains("quarantined", report.Detail, StringComparison.Ordinal);
        Assert.Equal("img-old", rig.RunningImage());
    }
}
