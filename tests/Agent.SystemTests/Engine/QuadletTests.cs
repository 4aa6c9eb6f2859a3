using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Engine;

/// <summary>
/// Quadlet units, as the RHEL 10 hosts run their containers: a <c>.container</c> file with
/// <c>AutoUpdate=registry</c> goes through every scenario of <see cref="UpdateScenarios"/> — found
/// through the labels Quadlet adds, refused, updated, health gated and rolled back exactly like a
/// hand-written unit.
/// </summary>
[Collection(TestbedCollection.Name)]
[OnlyOnGuest(Guests.Debian13, Reason)]
public sealed class QuadletTests : UpdateScenarios
{
    private const string Reason = "Quadlet came with podman 4.4; the debian12 guest has podman 4.3.1";
    private readonly TestbedFixture _testbed;
    private readonly ITestOutputHelper _output;

    public QuadletTests(TestbedFixture testbed, ITestOutputHelper output) : base(testbed, output, UnitKind.Quadlet)
    {
        testbed.RequireGuest(Guests.Debian13, Reason);
        _testbed = testbed;
        _output = output;
    }

    [Fact]
    public async Task A_quadlet_unit_carries_the_labels_the_agent_and_podman_auto_update_find_it_by()
    {
        using var work = new EngineWorkspace(_testbed, "qlabels", UnitKind.Quadlet);
        await work.ReleaseAsync("1.0.0");
        await work.StartUnitAsync();
        var labels = await _testbed.ShellInGuestAsync($"podman inspect {work.Name} --format '{{{{index .Config.Labels \"PODMAN_SYSTEMD_UNIT\"}}}} {{{{index .Config.Labels \"io.containers.autoupdate\"}}}}'");
        Assert.Equal($"{work.Unit} registry", labels.Trim());
        var dryRun = await _testbed.ShellInGuestAsync("podman auto-update --dry-run --format '{{.Unit}} {{.Policy}}'");
        Assert.Contains($"{work.Unit} registry", dryRun, StringComparison.Ordinal);
        await work.StopUnitAsync();
    }

    [Fact]
    public async Task A_quadlet_unit_with_pull_newer_is_unmanageable_and_its_zombie_never_up_to_date()
    {
        using var work = new EngineWorkspace(_testbed, "qpull", UnitKind.Quadlet);
        await PullOnStartScenario.RunAsync(work, _testbed, _output);
    }
}
