using System.Text.Json;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// Moving a host off podman-auto-update.timer: <c>check --format podman</c> read side by side with
/// <c>podman auto-update --dry-run --format json</c> in the same guest, and <c>units --migration</c>
/// saying what update-agent will do with each unit podman manages there.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class MigrationParityTests(TestbedFixture testbed, ITestOutputHelper output)
{
    // podman's keys (the "ContainerName"/"ContainerID" pair only on newer podman): every key podman prints must say the same here.
    private static readonly string[] PodmanKeys = ["Unit", "Container", "ContainerName", "ContainerID", "Image", "Policy", "Updated"];

    [Fact]
    public async Task Check_format_podman_says_what_podman_auto_update_says_for_the_same_units()
    {
        using var work = new EngineWorkspace(testbed, "parity");
        await work.ConfigureAsync();
        await work.ReleaseAsync("1.0.0");
        await work.StartUnitAsync();
        try
        {
            await AssertSameAsync(work, "false");

            await work.ReleaseAsync("1.1.0");
            await AssertSameAsync(work, "pending");

            // A candidate the policy refuses: podman would take it ("pending"); update-agent will not, and says "failed" with its reason.
            await work.ReleaseAsync("1.2.0-unsigned", sign: false, bless: false);
            var (_, ours) = await RowsAsync(work);
            var (_, theirs) = await PodmanRowsAsync(work);
            Assert.Equal("pending", theirs.GetProperty("Updated").GetString());
            Assert.Equal("failed", ours.GetProperty("Updated").GetString());
            Assert.Equal("refused", ours.GetProperty("Status").GetString());
        }
        finally
        {
            await work.StopUnitAsync();
        }
    }

    [Fact]
    public async Task Units_migration_lists_each_unit_podman_manages_with_what_update_agent_will_do()
    {
        using var work = new EngineWorkspace(testbed, "migr");
        using var other = new EngineWorkspace(testbed, "third");
        await work.ConfigureAsync();
        await work.ReleaseAsync("1.0.0");
        await work.StartUnitAsync();
        await other.ReleaseAsync("1.0.0", sign: false, bless: false);
        await other.StartUnitAsync();
        var loose = $"loose-{Guid.NewGuid():N}"[..14];
        await testbed.ShellInGuestAsync($"podman run -d --name {loose} --network none --label io.containers.autoupdate=registry {other.Latest}");
        try
        {
            var result = await work.AgentProcessAsync(["units", "--migration", "--config", work.ConfigPath, "--json"]);
            output.WriteLine(result.StandardOutput);
            output.WriteLine(result.StandardError);
            Assert.Equal(0, result.ExitCode);
            var units = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("units").EnumerateArray().ToList();
            JsonElement Entry(string unit) => units.Single(u => u.GetProperty("unit").GetString() == unit);

            Assert.Equal("managed", Entry(work.Unit).GetProperty("verdict").GetString());
            Assert.Equal(work.Latest, Entry(work.Unit).GetProperty("image").GetString());

            var needsRule = Entry(other.Unit);
            Assert.Equal("needs a policy rule", needsRule.GetProperty("verdict").GetString());
            Assert.Contains($"repository = \"{other.Repository}\"", needsRule.GetProperty("fix").GetString(), StringComparison.Ordinal);

            var stray = units.Single(u => u.GetProperty("containers").GetString() == loose);
            Assert.Equal("unmanageable", stray.GetProperty("verdict").GetString());
            Assert.Contains("PODMAN_SYSTEMD_UNIT", stray.GetProperty("reason").GetString(), StringComparison.Ordinal);

            var text = await work.AgentProcessAsync(["units", "--migration", "--config", work.ConfigPath]);
            output.WriteLine(text.StandardOutput);
            Assert.Contains("stay on what they run", text.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            await testbed.RunInGuestAsync("podman", "rm", "-f", "-t", "0", loose);
            await other.StopUnitAsync();
            await work.StopUnitAsync();
        }
    }

    private async Task AssertSameAsync(EngineWorkspace work, string updated)
    {
        var (ourJson, ours) = await RowsAsync(work);
        var (theirJson, theirs) = await PodmanRowsAsync(work);
        output.WriteLine(ourJson);
        output.WriteLine(theirJson);
        foreach (var key in PodmanKeys.Where(k => theirs.TryGetProperty(k, out _)))
        {
            Assert.True(ours.TryGetProperty(key, out var value), $"check --format podman has no {key}");
            Assert.Equal(theirs.GetProperty(key).GetString(), value.GetString());
        }
        Assert.Equal(updated, ours.GetProperty("Updated").GetString());
    }

    // The row of this workspace's unit: other tests' units may run in the same guest.
    private async Task<(string Json, JsonElement Row)> RowsAsync(EngineWorkspace work)
    {
        var result = await work.AgentProcessAsync(["check", "--dry-run", "--format", "podman", "--config", work.ConfigPath]);
        Assert.True(result.ExitCode is 0 or 6, $"check exited {result.ExitCode}: {result.StandardError}");
        return (result.StandardOutput, Row(result.StandardOutput, work.Unit));
    }

    private async Task<(string Json, JsonElement Row)> PodmanRowsAsync(EngineWorkspace work)
    {
        // podman exits non-zero when any container of the guest fails its check; its JSON still lists every container.
        var result = await testbed.RunInGuestAsync("podman", "auto-update", "--dry-run", "--format", "json");
        output.WriteLine(result.StandardError);
        return (result.StandardOutput, Row(result.StandardOutput, work.Unit));
    }

    private static JsonElement Row(string json, string unit) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().Single(r => r.GetProperty("Unit").GetString() == unit).Clone();
}
