using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// The update engine end to end against real systemd, real podman, a real registry and real
/// cosign signatures: what runs afterwards, the unit's state and the history rows. Every scenario
/// runs for each way a unit is written (<see cref="UnitKind"/>): the derived classes say which.
/// </summary>
public abstract class UpdateScenarios(TestbedFixture testbed, ITestOutputHelper output, UnitKind kind)
{
    [Fact]
    public async Task A_blessed_newer_image_is_rolled_out_and_committed()
    {
        using var work = new EngineWorkspace(testbed, "good", kind);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        Assert.Equal(v1, await work.RunningDigestAsync());
        var v2 = await work.ReleaseAsync("1.1.0");

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(0, exit);
        Assert.Equal("updated", unit.GetProperty("status").GetString());
        Assert.Equal(v2, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());
        var row = (await work.HistoryAsync()).EnumerateArray().First();
        Assert.Equal("updated", row.GetProperty("status").GetString());
        Assert.Equal(v1, row.GetProperty("from_digest").GetString());
        Assert.Equal(v2, row.GetProperty("to_digest").GetString());
        Assert.Contains("gate", row.GetProperty("signers").GetString(), StringComparison.Ordinal);
        Assert.Equal(8, row.GetProperty("steps").GetArrayLength());
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task The_zombie_sibling_signed_but_from_the_wrong_source_and_unblessed_is_refused_and_nothing_is_pulled()
    {
        using var work = new EngineWorkspace(testbed, "zombie", kind);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        var zombie = await work.ReleaseAsync("0.9.0-pre-fix", source: EngineWorkspace.ZombieSource, bless: false);

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(0, exit);
        Assert.Equal("refused", unit.GetProperty("status").GetString());
        var codes = unit.GetProperty("reason_codes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("wrong-source", codes);
        Assert.Contains("not-blessed", codes);
        Assert.Equal(v1, await work.RunningDigestAsync());
        Assert.False(await work.ImageExistsInGuestAsync(zombie), "the zombie image was pulled");
        Assert.Equal("refused", (await work.HistoryAsync()).EnumerateArray().First().GetProperty("status").GetString());
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_stale_once_blessed_digest_pushed_back_to_latest_is_refused()
    {
        using var work = new EngineWorkspace(testbed, "stale", kind);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        var v2 = await work.ReleaseAsync("1.1.0");
        Assert.Equal(0, (await work.CheckAsync()).Exit);
        Assert.Equal(v2, await work.RunningDigestAsync());

        await work.RepointLatestAsync(v1);
        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(0, exit);
        Assert.Equal("refused", unit.GetProperty("status").GetString());
        var codes = unit.GetProperty("reason_codes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.True(codes.Contains("downgrade") || codes.Contains("replaced-digest"), string.Join(",", codes));
        Assert.Equal(v2, await work.RunningDigestAsync());
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_blessed_image_that_fails_its_health_check_is_rolled_back_quarantined_and_not_retried()
    {
        using var work = new EngineWorkspace(testbed, "sick", kind);
        var v1 = await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync();
        var sick = await work.ReleaseAsync("1.1.0", healthy: false);

        var (exit, unit) = await work.CheckUnitAsync(output);

        Assert.Equal(4, exit);
        Assert.Equal("rolled back", unit.GetProperty("status").GetString());
        Assert.Equal(v1, await work.RunningDigestAsync());
        Assert.Equal("active", await work.UnitStateAsync());

        var again = await work.CheckAsync();
        Assert.Equal(0, again.Exit);
        Assert.Equal("quarantined", work.UnitReport(again.Report).GetProperty("status").GetString());
        Assert.Equal(v1, await work.RunningDigestAsync());
        var quarantine = (await work.AgentProcessAsync(["quarantine", "list", "--config", work.ConfigPath])).EnsureSuccess("quarantine list").StandardOutput;
        Assert.Contains(sick, quarantine, StringComparison.Ordinal);
        await work.StopUnitAsync();
    }
}
