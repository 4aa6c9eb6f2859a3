using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Tests;

/// <summary>
/// A unit whose containers run two images (an app and a sidecar): each image is verified on its own,
/// the unit moves only when every changed image may, restarts once, and goes back as a whole.
/// </summary>
public sealed class MultiImageUnitTests
{
    private const string Unit = "shop-pod.service";
    private const string App = "127.0.0.1:5000/acme/app:latest";
    private const string Side = "127.0.0.1:5000/acme/side:latest";
    private const string SideOld = "sha256:00000000000000000000000000000000000000000000000000000000000000a1";
    private const string SideNew = "sha256:00000000000000000000000000000000000000000000000000000000000000a2";
    private static readonly string AppKey = UnitKey.For(Unit, App, severalImages: true);
    private static readonly string SideKey = UnitKey.For(Unit, Side, severalImages: true);

    private static Rig Pod(string appRemote, string sideRemote)
    {
        var rig = new Rig();
        rig.Podman.AddUnit(Unit, App, "img-app-old", Rig.Old);
        rig.Podman.AddSidecar(Unit, Side, "img-side-old", SideOld);
        rig.Registry.TagDigests[App] = appRemote;
        rig.Registry.TagDigests[Side] = sideRemote;
        rig.Verified(AppKey, Rig.Old, "img-app-old", App).Verified(SideKey, SideOld, "img-side-old", Side);
        rig.Verifier.Outcomes[Rig.Old] = VerdictOutcome.Accepted;
        rig.Verifier.Outcomes[SideOld] = VerdictOutcome.Accepted;
        return rig;
    }

    private static Dictionary<string, UnitReport> ByKey(PassReport report) => report.Units.ToDictionary(u => u.Unit);

    [Fact]
    public async Task Both_images_move_with_one_restart_and_each_gets_its_own_ledger_entry()
    {
        using var rig = Pod(Rig.New, SideNew);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.Outcomes[SideNew] = VerdictOutcome.Accepted;

        var units = ByKey(await rig.PassAsync());

        Assert.Equal(UnitStatus.Updated, units[AppKey].Status);
        Assert.Equal(UnitStatus.Updated, units[SideKey].Status);
        Assert.Single(rig.Units.Restarts);
        Assert.Equal("img-" + Rig.New, rig.RunningImage(Unit));
        Assert.Equal("img-" + SideNew, rig.Podman.Sidecars[Unit][Side]);
        Assert.Equal(Rig.New, rig.History.CurrentVerified(AppKey)!.Digest);
        Assert.Equal(SideNew, rig.History.CurrentVerified(SideKey)!.Digest);
        // Both pulls came before the first tag moved, and both tags before the restart.
        var calls = rig.Podman.Calls.Where(c => c.StartsWith("pull", StringComparison.Ordinal) || c.StartsWith("tag", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, calls.TakeWhile(c => c.StartsWith("pull", StringComparison.Ordinal)).Count());
        Assert.Empty(rig.History.Unfinished());

        // The next pass finds both verified and up to date.
        var again = ByKey(await rig.PassAsync());
        Assert.Equal(UnitStatus.UpToDate, again[AppKey].Status);
        Assert.Equal(UnitStatus.UpToDate, again[SideKey].Status);
        Assert.Single(rig.Units.Restarts);
    }

    [Fact]
    public async Task An_accepted_image_waits_while_the_other_image_of_its_unit_is_refused()
    {
        using var rig = Pod(Rig.New, SideNew);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted; // SideNew is refused (unsigned)

        var units = ByKey(await rig.PassAsync());

        Assert.Equal(UnitStatus.Refused, units[SideKey].Status);
        Assert.Equal(UnitStatus.Pending, units[AppKey].Status);
        Assert.Contains($"{Unit} moves only when every image it runs may", units[AppKey].Detail, StringComparison.Ordinal);
        Assert.Contains($"{Side} is refused", units[AppKey].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Podman.Calls, c => c.StartsWith("pull", StringComparison.Ordinal) || c.StartsWith("tag", StringComparison.Ordinal));
        Assert.Empty(rig.Units.Restarts);
        Assert.DoesNotContain(rig.History.History(AppKey), r => r.Status != UnitStatus.Refused);
    }

    [Fact]
    public async Task One_changed_image_moves_when_the_other_is_up_to_date()
    {
        using var rig = Pod(Rig.Old, SideNew);
        rig.Verifier.Outcomes[SideNew] = VerdictOutcome.Accepted;

        var units = ByKey(await rig.PassAsync());

        Assert.Equal(UnitStatus.UpToDate, units[AppKey].Status);
        Assert.Equal(UnitStatus.Updated, units[SideKey].Status);
        Assert.Single(rig.Units.Restarts);
        Assert.Equal("img-app-old", rig.RunningImage(Unit));
    }

    [Fact]
    public async Task A_failed_health_gate_puts_every_image_back_with_one_more_restart_and_quarantines_both()
    {
        using var rig = Pod(Rig.New, SideNew);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.Outcomes[SideNew] = VerdictOutcome.Accepted;
        rig.Units.ActiveWith = image => image != "img-" + SideNew; // the new sidecar crashes the pod

        var units = ByKey(await rig.PassAsync());

        Assert.Equal(UnitStatus.RolledBack, units[AppKey].Status);
        Assert.Equal(UnitStatus.RolledBack, units[SideKey].Status);
        Assert.Contains($"tried together: {App}, {Side}", units[AppKey].Detail, StringComparison.Ordinal);
        Assert.Equal(2, rig.Units.Restarts.Count);
        Assert.Equal("img-app-old", rig.RunningImage(Unit));
        Assert.Equal("img-side-old", rig.Podman.Sidecars[Unit][Side]);
        Assert.True(rig.History.IsQuarantined(AppKey, Rig.New));
        Assert.True(rig.History.IsQuarantined(SideKey, SideNew));
        Assert.Equal(Rig.Old, rig.History.CurrentVerified(AppKey)!.Digest);
        Assert.Equal(SideOld, rig.History.CurrentVerified(SideKey)!.Digest);
        Assert.Empty(rig.History.Unfinished());
    }

    [Fact]
    public async Task A_failed_pull_of_one_image_leaves_the_unit_untouched()
    {
        using var rig = Pod(Rig.New, SideNew);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.Outcomes[SideNew] = VerdictOutcome.Accepted;
        rig.Podman.FailPullsOf.Add($"127.0.0.1:5000/acme/side@{SideNew}");

        var units = ByKey(await rig.PassAsync());

        Assert.Equal(UnitStatus.Failed, units[SideKey].Status);
        Assert.Equal(UnitStatus.Abandoned, units[AppKey].Status);
        Assert.Contains("could not be pulled", units[AppKey].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Podman.Calls, c => c.StartsWith("tag", StringComparison.Ordinal));
        Assert.Empty(rig.Units.Restarts);
        Assert.Empty(rig.History.Unfinished());
        Assert.Equal(Rig.Old, rig.History.CurrentVerified(AppKey)!.Digest);
    }

    [Fact]
    public async Task A_hold_on_the_unit_holds_every_image()
    {
        using var rig = Pod(Rig.New, SideNew);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.Outcomes[SideNew] = VerdictOutcome.Accepted;
        rig.History.Hold(Unit, "release freeze");

        var units = ByKey(await rig.PassAsync());

        Assert.Equal(UnitStatus.Held, units[AppKey].Status);
        Assert.Equal(UnitStatus.Held, units[SideKey].Status);
        Assert.Contains("release freeze", units[SideKey].Detail, StringComparison.Ordinal);
        Assert.Empty(rig.Units.Restarts);
    }

    [Fact]
    public async Task Asking_for_the_unit_checks_every_image_and_reports_each_with_its_own_container()
    {
        using var rig = Pod(Rig.Old, SideOld);
        rig.Podman.AddUnit("other.service", "127.0.0.1:5000/acme/other:latest", "img-o", Rig.Old);

        var report = await rig.PassAsync(new PassRequest(Units: [Unit]));

        Assert.Equal([AppKey, SideKey], report.Units.Select(u => u.Unit).Order(StringComparer.Ordinal));
        Assert.Equal("side-" + Unit, Assert.Single(ByKey(report)[SideKey].Containers).Name);
    }

    [Fact]
    public async Task An_interrupted_update_of_both_images_is_undone_part_by_part()
    {
        using var rig = Pod(Rig.New, SideNew);
        rig.Verifier.Outcomes[Rig.New] = VerdictOutcome.Accepted;
        rig.Verifier.Outcomes[SideNew] = VerdictOutcome.Accepted;
        var app = rig.History.BeginPendingUpdate(AppKey, App, Rig.Old, Rig.New, "img-app-old", "release-gate", "", Rig.New, "accepted");
        var side = rig.History.BeginPendingUpdate(SideKey, Side, SideOld, SideNew, "img-side-old", "release-gate", "", SideNew, "accepted");
        foreach (var (id, reference, image) in new[] { (app, App, "img-" + Rig.New), (side, Side, "img-" + SideNew) })
        {
            await rig.Podman.PullByDigestAsync($"{FakePodmanRepo(reference)}@{image[4..]}", CancellationToken.None);
            rig.History.SetPendingImage(id, image);
            rig.History.RecordIntent(id, UpdateStep.Tag, "tag", new JournaledState("Tagging", image[4..], "", image, IsRestore: false) { Acting = true });
            await rig.Podman.TagImageAsync(image, reference, CancellationToken.None);
        }

        var states = await rig.Drive(rig.Recovery.ResolveAsync(CancellationToken.None));

        Assert.Equal(2, states.Count);
        Assert.All(states, s => Assert.Equal(UnitStatus.Abandoned, s.Status));
        Assert.Equal("img-app-old", rig.Podman.Tags[App]);
        Assert.Equal("img-side-old", rig.Podman.Tags[Side]);
        Assert.Equal("img-app-old", rig.RunningImage(Unit));
        Assert.Empty(rig.History.Unfinished());
    }

    [Fact]
    public void The_ledger_speaks_for_the_unit_in_the_shape_it_had_last()
    {
        using var rig = Pod(Rig.Old, SideOld);
        Assert.Equal([AppKey, SideKey], rig.History.LedgerKeysOf(Unit));
        Assert.Empty(rig.History.LedgerKeysOf("shop.service"));

        // The sidecar went away: the unit runs one image under its own name from then on.
        rig.Verified(Unit, Rig.New, "img-new", App);
        Assert.Equal([Unit], rig.History.LedgerKeysOf(Unit));

        // And came back: only the images verified since count.
        rig.Verified(SideKey, SideNew, "img-side-new", Side);
        Assert.Equal([SideKey], rig.History.LedgerKeysOf(Unit));
    }

    private static string FakePodmanRepo(string reference) => Fakes.FakePodman.Repo(reference);
}
