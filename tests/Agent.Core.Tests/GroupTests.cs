using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Tests;

/// <summary>Units that run one image reference share its tag, so they move as one group.</summary>
public sealed class GroupTests
{
    private static Rig TwoOnOneImage()
    {
        var rig = new Rig().WithApp(remote: Rig.New);
        rig.Podman.AddUnit("web.service", Rig.App, "img-old", Rig.Old);
        rig.Verified("web.service", Rig.Old, "img-old");
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        return rig;
    }

    [Fact]
    public async Task A_hold_on_one_unit_holds_every_unit_on_the_same_image()
    {
        using var rig = TwoOnOneImage();
        rig.History.Hold("web.service", "change freeze");
        var reports = (await rig.PassAsync()).Units.ToDictionary(u => u.Unit);
        Assert.Equal(UnitStatus.Held, reports["app.service"].Status);
        Assert.Contains("web.service", reports["app.service"].Detail, StringComparison.Ordinal);
        Assert.Equal(UnitStatus.Held, reports["web.service"].Status);
        Assert.Equal(["web.service"], reports["app.service"].Group);
        Assert.Equal("img-old", rig.Podman.Tags[Rig.App]);
        Assert.Empty(rig.Units.Restarts);
    }

    [Fact]
    public async Task When_one_unit_fails_its_gate_the_units_that_took_the_candidate_are_rolled_back_with_it()
    {
        using var rig = TwoOnOneImage();
        rig.Units.ActiveFor = (unit, image) => unit != "web.service" || image == "img-old";
        var reports = (await rig.PassAsync()).Units.ToDictionary(u => u.Unit);
        Assert.Equal(UnitStatus.RolledBack, reports["app.service"].Status);
        Assert.Contains("rolled back with its group", reports["app.service"].Detail, StringComparison.Ordinal);
        Assert.Equal(UnitStatus.RolledBack, reports["web.service"].Status);
        Assert.Equal("img-old", rig.RunningImage("app.service"));
        Assert.Equal("img-old", rig.RunningImage("web.service"));
        Assert.Equal(Rig.Old, rig.History.CurrentVerified("app.service")?.Digest);

        // The next pass: both on their verified digest, the candidate quarantined for the group.
        var next = (await rig.PassAsync()).Units;
        Assert.All(next, u => Assert.Equal(UnitStatus.Quarantined, u.Status));
    }

    [Fact]
    public async Task Asking_for_one_unit_checks_its_whole_group()
    {
        using var rig = TwoOnOneImage();
        rig.Podman.AddUnit("other.service", "127.0.0.1:5000/acme/other:latest", "img-o", Rig.Old);
        var report = await rig.PassAsync(new PassRequest(Units: ["web.service"]));
        Assert.Equal(["app.service", "web.service"], report.Units.Select(u => u.Unit).Order(StringComparer.Ordinal));
        Assert.All(report.Units, u => Assert.Equal(UnitStatus.Updated, u.Status));
    }
}
