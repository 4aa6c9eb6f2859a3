using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// A unit that pulls its tag on start (<c>--pull=newer</c>, Quadlet <c>Pull=newer</c>): a plain
/// restart puts the archived sibling's image in place, and update-agent must say
/// <c>unmanageable</c> — before and after — never "up to date", and doctor must name the unit.
/// </summary>
internal static class PullOnStartScenario
{
    public static async Task RunAsync(EngineWorkspace work, TestbedFixture testbed, ITestOutputHelper output)
    {
        await work.ReleaseAsync("1.0.0");
        await work.ConfigureAsync();
        await work.StartUnitAsync(pull: "newer");

        var (exit, unit) = await work.CheckUnitAsync(output);
        Assert.Equal(6, exit);
        Assert.Equal("unmanageable", unit.GetProperty("status").GetString());
        Assert.Contains("Pull=missing", unit.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var zombie = await work.ReleaseAsync("0.9.0-pre-fix", source: EngineWorkspace.ZombieSource, bless: false);
        await testbed.ShellInGuestAsync($"systemctl restart {work.Unit} && systemctl is-active {work.Unit}");
        Assert.Equal(zombie, await work.RunningDigestAsync());

        (exit, unit) = await work.CheckUnitAsync(output);
        Assert.Equal(6, exit);
        Assert.Equal("unmanageable", unit.GetProperty("status").GetString());
        Assert.Equal("unmanageable", (await work.StatusAsync()).GetProperty("status").GetString());
        // update-agent never touches it: what the unit pulled stays.
        Assert.Equal(zombie, await work.RunningDigestAsync());

        var doctor = await work.AgentProcessAsync(["doctor", "--config", work.ConfigPath]);
        output.WriteLine(doctor.StandardOutput);
        Assert.Contains($"FAIL  unit {work.Unit}: unmanageable", doctor.StandardOutput, StringComparison.Ordinal);
        await work.StopUnitAsync();
    }
}
