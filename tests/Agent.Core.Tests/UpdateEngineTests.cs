using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Tests;

/// <summary>Passes over several units: one registry request per distinct image, errors kept per unit.</summary>
public sealed class UpdateEngineTests
{
    [Fact]
    public async Task Each_distinct_image_is_resolved_once_per_pass()
    {
        using var rig = new Rig();
        for (var i = 0; i < 6; i++)
        {
            var reference = $"127.0.0.1:5000/acme/app{i % 2}:latest";
            rig.Podman.AddUnit($"u{i}.service", reference, $"img-{i % 2}", Rig.Old);
            rig.Registry.TagDigests[reference] = Rig.Old;
        }
        rig.Verifier.Outcomes[Rig.Old] = VerdictOutcome.Accepted;
        var report = await rig.PassAsync();
        Assert.Equal(6, report.Units.Count);
        Assert.All(report.Units, u => Assert.Equal(UnitStatus.UpToDate, u.Status));
        Assert.Equal(2, report.DistinctImages);
        Assert.Equal(2, rig.Registry.RequestCount);
    }

    [Fact]
    public async Task A_failing_unit_does_not_stop_the_others()
    {
        using var rig = new Rig();
        rig.Podman.AddUnit("a.service", "127.0.0.1:5000/acme/a:latest", "img-a", Rig.Old);
        rig.Podman.AddUnit("b.service", "127.0.0.1:5000/acme/b:latest", "img-b", Rig.Old);
        rig.Podman.AddUnit("c.service", "127.0.0.1:5000/acme/c:latest", "img-c", Rig.Old);
        rig.Registry.TagDigests["127.0.0.1:5000/acme/a:latest"] = Rig.New;
        rig.Registry.TagDigests["127.0.0.1:5000/acme/b:latest"] = Rig.New;
        rig.Registry.Unreachable.Add("127.0.0.1:5000/acme/c:latest");
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.Outcomes[Rig.Old] = VerdictOutcome.Accepted;
        rig.Podman.FailPullsOf.Add($"127.0.0.1:5000/acme/a@{Rig.New}");
        rig.Podman.Problems.Add(new DiscoveryProblem("stray", null, "label PODMAN_SYSTEMD_UNIT is missing"));

        var report = await rig.PassAsync();
        var byUnit = report.Units.ToDictionary(u => u.Unit);
        Assert.Equal(UnitStatus.Failed, byUnit["a.service"].Status);
        Assert.Contains("manifest unknown", byUnit["a.service"].Detail, StringComparison.Ordinal);
        Assert.Contains("still runs", byUnit["a.service"].Detail, StringComparison.Ordinal);
        Assert.Equal(UnitStatus.Updated, byUnit["b.service"].Status);
        Assert.Equal(UnitStatus.Undecided, byUnit["c.service"].Status);
        Assert.Contains("connection refused", byUnit["c.service"].Detail, StringComparison.Ordinal);
        Assert.Equal(UnitStatus.Failed, byUnit["stray"].Status);
        Assert.Equal("img-a", rig.RunningImage("a.service"));
    }

    [Fact]
    public async Task A_unit_discovery_found_unmanageable_is_reported_so_and_kept_in_its_status_while_a_failed_one_is_not()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        rig.Podman.Problems.Add(new DiscoveryProblem("shop-pod.service", "shop-pod.service", "its containers run 2 different images",
            Unmanageable: true, Image: "reg/app:latest reg/side:latest"));
        rig.Podman.Problems.Add(new DiscoveryProblem("gone.service", "gone.service", "left out this pass: gone"));

        var report = await rig.PassAsync();

        var byUnit = report.Units.ToDictionary(u => u.Unit);
        Assert.Equal(UnitStatus.Unmanageable, byUnit["shop-pod.service"].Status);
        Assert.Equal("reg/app:latest reg/side:latest", byUnit["shop-pod.service"].Image);
        Assert.Equal(UnitStatus.Failed, byUnit["gone.service"].Status);
        var check = Assert.Single(rig.History.UnitChecks(), c => c.Unit == "shop-pod.service");
        Assert.Equal(UnitStatus.Unmanageable, check.Status);
        Assert.Contains("2 different images", check.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.History.UnitChecks(), c => c.Unit == "gone.service");
    }

    [Fact]
    public async Task Only_the_named_units_are_checked()
    {
        using var rig = new Rig().WithApp(remote: Rig.Old);
        rig.Podman.AddUnit("other.service", "127.0.0.1:5000/acme/other:latest", "img-o", Rig.Old);
        var report = await rig.PassAsync(new PassRequest(Units: ["app.service"]));
        Assert.Equal("app.service", Assert.Single(report.Units).Unit);
        Assert.Equal(1, rig.Registry.RequestCount);
    }

    [Fact]
    public async Task Bad_health_labels_fail_that_unit_with_the_label_named()
    {
        using var rig = new Rig().WithApp(remote: Rig.New);
        rig.Podman.UnitLabels["io.containers.autoupdate.soak"] = "forever";
        var report = Assert.Single((await rig.PassAsync()).Units);
        Assert.Equal(UnitStatus.Failed, report.Status);
        Assert.Contains("io.containers.autoupdate.soak='forever'", report.Detail, StringComparison.Ordinal);
    }
}
