using System.Text.Json;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// What every unit whose containers run two images (an app and a sidecar) must do: each image is
/// verified on its own, the unit moves only when both may, with one restart, and a failed health
/// gate puts both back.
/// </summary>
internal static class TwoImagePodScenario
{
    /// <summary>
    /// Starts the unit with <paramref name="start"/> (given the sidecar's image reference) and walks it
    /// through: a refused sidecar keeps the accepted app pending; both signed move together; a
    /// sidecar that fails its health check takes the app back with it.
    /// </summary>
    public static async Task RunAsync(EngineWorkspace work, TestbedFixture testbed, ITestOutputHelper output, Func<string, Task> start)
    {
        var sideRepository = $"{work.Repository}-side";
        var side = $"{sideRepository}:latest";
        var sideContainer = work.Name + "-side";
        var appKey = $"{work.Unit}/{work.Latest}";
        var sideKey = $"{work.Unit}/{side}";
        await work.ReleaseAsync("1.0.0");
        var side1 = await ReleaseSideAsync(testbed, work, side, "1.0.0", healthy: true, sign: true);
        await work.ConfigureAsync(policyExtra: $$"""

            [[image]]
            repository = "{{sideRepository}}"
            signed_by = ["ci"]
            blessed_by = "gate"
            bless = { stage = "prod" }
            """);
        await start(side);
        var appBefore = await PodScenario.RunningImageIdAsync(testbed, work);
        var sideBefore = await PodScenario.RunningImageIdAsync(testbed, work, sideContainer);

        // The app's new release is signed, the sidecar's is not: neither moves.
        var app2 = await work.ReleaseAsync("2.0.0");
        var side2 = await ReleaseSideAsync(testbed, work, side, "2.0.0", healthy: true, sign: false);
        var units = await CheckUnitsAsync(output, work);
        Assert.Equal("refused", units[sideKey].GetProperty("status").GetString());
        Assert.Equal("pending", units[appKey].GetProperty("status").GetString());
        Assert.Contains($"{side} is refused", units[appKey].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await work.ImageExistsInGuestAsync(app2), "the accepted app image was pulled while its sidecar was refused");
        Assert.Equal(appBefore, await PodScenario.RunningImageIdAsync(testbed, work));
        Assert.Equal(sideBefore, await PodScenario.RunningImageIdAsync(testbed, work, sideContainer));

        // Once the sidecar's release is signed too, both move with one restart of the pod's unit.
        await SignAndBlessAsync(work, $"{sideRepository}@{side2}");
        units = await CheckUnitsAsync(output, work);
        Assert.Equal("updated", units[appKey].GetProperty("status").GetString());
        Assert.Equal("updated", units[sideKey].GetProperty("status").GetString());
        Assert.Equal(app2, await work.RunningDigestAsync());
        Assert.Equal(side2, await work.RunningDigestAsync(sideContainer));
        Assert.Equal("active", await work.UnitStateAsync());

        // A sidecar release that fails its health check takes the app back with it.
        await work.ReleaseAsync("3.0.0");
        var side3 = await ReleaseSideAsync(testbed, work, side, "3.0.0", healthy: false, sign: true);
        units = await CheckUnitsAsync(output, work);
        Assert.Equal("rolled back", units[appKey].GetProperty("status").GetString());
        Assert.Equal("rolled back", units[sideKey].GetProperty("status").GetString());
        Assert.Equal(app2, await work.RunningDigestAsync());
        Assert.Equal(side2, await work.RunningDigestAsync(sideContainer));
        Assert.Equal("active", await work.UnitStateAsync());
        var status = (await work.AgentProcessAsync(["status", "--config", work.ConfigPath, "--json"])).EnsureSuccess("update-agent status");
        var statuses = JsonDocument.Parse(status.StandardOutput).RootElement.GetProperty("units").EnumerateArray()
            .ToDictionary(u => u.GetProperty("unit").GetString()!, u => u.GetProperty("status").GetString());
        Assert.Equal("rolled back", statuses[appKey]);
        Assert.Equal("rolled back", statuses[sideKey]);
        Assert.NotEqual(side1, side3);
        await work.StopUnitAsync();
    }

    private static async Task<string> ReleaseSideAsync(TestbedFixture testbed, EngineWorkspace work, string side, string version, bool healthy, bool sign)
    {
        // The containers of a pod share one network: the sidecar serves on a port of its own.
        var digest = await testbed.PushImageAsync(side, [$"org.opencontainers.image.version={version}"],
            command: """["/bin/serve","8081"]""", healthFile: healthy);
        if (sign)
        {
            await SignAndBlessAsync(work, $"{side[..side.LastIndexOf(':')]}@{digest}");
        }
        return digest;
    }

    private static async Task SignAndBlessAsync(EngineWorkspace work, string digestReference)
    {
        await work.Trust.CosignSignAsync(await work.Trust.CosignKeyPairAsync("ci"), digestReference);
        await work.Trust.CosignSignAsync(await work.Trust.CosignKeyPairAsync("gate"), digestReference, "stage=prod");
    }

    private static async Task<Dictionary<string, JsonElement>> CheckUnitsAsync(ITestOutputHelper output, EngineWorkspace work)
    {
        var (_, report, error) = await work.CheckAsync();
        output.WriteLine(report.ValueKind == JsonValueKind.Undefined ? "(no report)" : report.ToString());
        output.WriteLine(error);
        return report.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("unit").GetString()!, u => u);
    }
}
