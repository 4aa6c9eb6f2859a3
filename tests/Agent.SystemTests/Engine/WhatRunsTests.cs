using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// What runs is what was verified, end to end on real systemd, podman and a registry: every pass
/// judges the digest a unit runs, whatever put it there, and says <c>unverified</c> (or restores the
/// verified digest) instead of "up to date"; from an index exactly the verified manifest is pulled.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class WhatRunsTests(TestbedFixture testbed, ITestOutputHelper output)
{
    [Fact]
    public async Task An_unsigned_image_a_unit_already_runs_is_reported_unverified_and_left_running()
    {
        using var work = new EngineWorkspace(testbed, "adopt", UnitKind.HandWritten);
        var unsigned = await work.ReleaseAsync("0.1.0", sign: false, bless: false);
        await work.ConfigureAsync();
        await work.StartUnitAsync();

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(6, exit);
        Assert.Equal("unverified", unit.GetProperty("status").GetString());
        Assert.Contains("never ran a verified digest", unit.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(unsigned, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());
        var status = await work.StatusAsync();
        Assert.Equal("unverified", status.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("verified").ValueKind);
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_zombie_pulled_by_hand_and_restarted_is_replaced_by_the_verified_digest()
    {
        using var work = new EngineWorkspace(testbed, "handpull", UnitKind.HandWritten);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        var adopted = await work.CheckAsync();
        Assert.Equal("up to date", work.UnitReport(adopted.Report).GetProperty("status").GetString());

        // The archived sibling's cron pushes to :latest; podman auto-update (or a person) pulls it and restarts the unit.
        var zombie = await work.ReleaseAsync("0.9.0-pre-fix", source: EngineWorkspace.ZombieSource, bless: false);
        await work.PullBehindTheAgentsBackAsync();
        Assert.Equal(zombie, await work.RunningDigestAsync());

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(0, exit);
        Assert.Equal("restored", unit.GetProperty("status").GetString());
        Assert.Equal(v1, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());
        var row = (await work.HistoryAsync()).EnumerateArray().First();
        Assert.Equal(("restored", zombie, v1), (row.GetProperty("status").GetString(), row.GetProperty("from_digest").GetString(), row.GetProperty("to_digest").GetString()));

        // The tag still names the zombie: refused, and never "up to date".
        var again = await work.CheckAsync();
        Assert.Equal("refused", work.UnitReport(again.Report).GetProperty("status").GetString());
        var status = await work.StatusAsync();
        Assert.Equal(v1, status.GetProperty("verified").GetProperty("digest").GetString());
        Assert.Equal(v1, await work.RunningDigestAsync());
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task From_an_index_with_an_unsigned_zstd_twin_the_signed_manifest_runs()
    {
        using var work = new EngineWorkspace(testbed, "twin", UnitKind.HandWritten);
        await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        Assert.Equal(0, (await work.CheckAsync()).Exit);

        // The signed, blessed amd64 build and the sibling's unsigned amd64 twin that containers/image would prefer.
        var signed = await work.ReleaseAsync("1.1.0", tag: "signed");
        var twin = await work.ReleaseAsync("1.1.0", source: EngineWorkspace.ZombieSource, sign: false, bless: false, tag: "twin");
        var index = await ImageIndex.PushAsync(testbed.Registry, $"engine/{work.Name}", "latest",
            new ImageIndex.Entry(signed), new ImageIndex.Entry(twin, ImageIndex.Zstd));

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(0, exit);
        Assert.Equal("updated", unit.GetProperty("status").GetString());
        Assert.Equal(index, unit.GetProperty("candidate").GetString());
        Assert.Equal(signed, await work.RunningDigestAsync());
        Assert.False(await work.ImageExistsInGuestAsync(twin), "the unsigned twin was pulled");

        var again = await work.CheckAsync();
        Assert.Equal("up to date", work.UnitReport(again.Report).GetProperty("status").GetString());
        Assert.Equal(signed, (await work.StatusAsync()).GetProperty("verified").GetProperty("platform_digest").GetString());
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_revoked_manifest_wrapped_in_a_fresh_index_is_refused()
    {
        using var work = new EngineWorkspace(testbed, "rewrap", UnitKind.HandWritten);
        var v1 = await work.ReleaseAsync("1.0.0");
        var revoked = await work.ReleaseAsync("1.1.0", tag: "revoked");
        await work.ConfigureAsync(policyExtra: $"revoked = [\"{revoked}\"]");
        await work.StartUnitAsync();
        await ImageIndex.PushAsync(testbed.Registry, $"engine/{work.Name}", "latest", new ImageIndex.Entry(revoked));

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(0, exit);
        Assert.Equal("refused", unit.GetProperty("status").GetString());
        Assert.Contains("revoked", unit.GetProperty("reason_codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(v1, await work.RunningDigestAsync());
        Assert.False(await work.ImageExistsInGuestAsync(revoked), "the revoked image was pulled");
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_rollback_after_the_previous_image_was_pruned_pulls_it_again_by_digest()
    {
        using var work = new EngineWorkspace(testbed, "pruned", UnitKind.HandWritten);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        var v2 = await work.ReleaseAsync("1.1.0");
        Assert.Equal(0, (await work.CheckAsync()).Exit);
        Assert.Equal(v2, await work.RunningDigestAsync());

        await testbed.ShellInGuestAsync("podman image prune -a -f >/dev/null");
        Assert.False(await work.ImageExistsInGuestAsync(v1), "prune left the previous image");
        var rollback = await work.AgentProcessAsync(["rollback", work.Unit, "--config", work.ConfigPath]);
        output.WriteLine(rollback.StandardOutput + rollback.StandardError);
        Assert.Equal(0, rollback.ExitCode);
        Assert.Equal(v1, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());

        // The ledger follows the operator: v1 is what the unit should run now, and v2 stays quarantined.
        var (_, report, _) = await work.CheckAsync();
        Assert.Equal("quarantined", work.UnitReport(report).GetProperty("status").GetString());
        var verified = (await work.StatusAsync()).GetProperty("verified");
        Assert.Equal((v1, "rollback"), (verified.GetProperty("platform_digest").GetString(), verified.GetProperty("how").GetString()));
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task Two_units_on_one_image_are_held_and_updated_together()
    {
        using var work = new EngineWorkspace(testbed, "pair", UnitKind.HandWritten);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        var sibling = work.Name + "-b";
        await GuestUnits.InstallAndStartAsync(testbed, sibling + ".service", GuestUnits.Container(sibling, work.Latest,
            "--network none --health-cmd 'cat /www/health' --health-interval 30s --health-retries 2"));
        Assert.Equal(0, (await work.CheckAsync()).Exit);
        (await work.AgentProcessAsync(["hold", sibling + ".service", "--reason", "change freeze", "--config", work.ConfigPath])).EnsureSuccess("hold");
        var v2 = await work.ReleaseAsync("1.1.0");

        var (_, report, _) = await work.CheckAsync();
        output.WriteLine(report.ToString());
        var units = report.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("unit").GetString()!);
        Assert.Equal("held", units[work.Unit].GetProperty("status").GetString());
        Assert.Equal("held", units[sibling + ".service"].GetProperty("status").GetString());
        Assert.Equal([sibling + ".service"], units[work.Unit].GetProperty("group").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(v1, await work.RunningDigestAsync());
        // A restart of either unit starts what was verified for both: the shared tag did not move.
        await testbed.ShellInGuestAsync($"systemctl restart {sibling}.service");
        Assert.Equal(v1, (await testbed.ShellInGuestAsync($"podman inspect {sibling} --format '{{{{.ImageDigest}}}}'")).Trim());

        (await work.AgentProcessAsync(["release", sibling + ".service", "--config", work.ConfigPath])).EnsureSuccess("release");
        var (_, after, _) = await work.CheckAsync();
        Assert.All(after.GetProperty("units").EnumerateArray(), u => Assert.Equal("updated", u.GetProperty("status").GetString()));
        Assert.Equal(v2, await work.RunningDigestAsync());
        Assert.Equal(v2, (await testbed.ShellInGuestAsync($"podman inspect {sibling} --format '{{{{.ImageDigest}}}}'")).Trim());
        await testbed.RunInGuestAsync("systemctl", "stop", sibling + ".service");
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task Old_images_the_agent_replaced_are_removed_and_the_last_verified_ones_kept()
    {
        using var work = new EngineWorkspace(testbed, "keep", UnitKind.HandWritten);
        var releases = new List<string> { await work.ReleaseAsync("1.0.0") };
        await work.ConfigureAsync(soak: "1s", agentExtra: "keep_images = 2");
        await work.StartUnitAsync();
        foreach (var build in new[] { "1.1.0", "1.2.0", "1.3.0" })
        {
            releases.Add(await work.ReleaseAsync(build));
            var (exit, unit) = await work.CheckUnitAsync(output);
            Assert.Equal((0, "updated"), (exit, unit.GetProperty("status").GetString()));
        }
        Assert.Equal(releases[3], await work.RunningDigestAsync());
        Assert.False(await work.ImageExistsInGuestAsync(releases[0]), "1.0.0 is still there");
        Assert.False(await work.ImageExistsInGuestAsync(releases[1]), "1.1.0 is still there");
        Assert.True(await work.ImageExistsInGuestAsync(releases[2]), "the image a rollback needs was removed");
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_unit_that_pulls_newer_on_start_is_unmanageable_and_its_zombie_never_up_to_date()
    {
        using var work = new EngineWorkspace(testbed, "pullnewer", UnitKind.HandWritten);
        await PullOnStartScenario.RunAsync(work, testbed, output);
    }

    [Fact]
    public async Task Under_the_local_policy_the_unit_restarts_into_the_image_id_that_was_verified()
    {
        using var work = new EngineWorkspace(testbed, "local", UnitKind.HandWritten);
        await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync(policy: "local");
        Assert.Equal(0, (await work.CheckAsync()).Exit);

        // Under "local" an operator brings images in; update-agent verifies what the local tag names and runs exactly that image.
        var v2 = await work.ReleaseAsync("1.1.0");
        await testbed.ShellInGuestAsync($"podman pull -q {work.Latest} >/dev/null");
        var v2Image = (await testbed.ShellInGuestAsync($"podman image inspect {work.Repository}@{v2} --format '{{{{.Id}}}}'")).Trim();
        var (exit, unit) = await work.CheckUnitAsync(output);
        Assert.Equal((0, "updated"), (exit, unit.GetProperty("status").GetString()));
        Assert.Equal(v2Image, (await testbed.ShellInGuestAsync($"podman inspect {work.Name} --format '{{{{.Image}}}}'")).Trim());
        Assert.Equal("sha256:" + v2Image, (await work.StatusAsync()).GetProperty("verified").GetProperty("image_id").GetString());
        await work.StopUnitAsync();
    }
}
