using UpdateAgent.Core.Ports;
using UpdateAgent.Core.Updaters;

namespace UpdateAgent.Core.Tests;

/// <summary>What update-agent will do with each unit podman auto-update manages today.</summary>
public sealed class MigrationTests
{
    private const string PolicyPath = "/etc/update-agent/policy.toml";

    private static ManagedUnit Unit(string name, string image, AutoUpdatePolicy policy = AutoUpdatePolicy.Registry, bool digest = true) =>
        new(name, policy, image, "sha256:" + new string('1', 64), digest ? [$"{image.Split(':')[0]}@sha256:{new string('2', 64)}"] : [],
            [new ManagedContainer(new string('c', 64), name.Replace(".service", "", StringComparison.Ordinal), new Dictionary<string, string>())]);

    private static string? Rules(ImageReference image) => image.Name == "registry.example/acme/app" ? "registry.example/acme/*" : null;

    [Fact]
    public void Each_unit_gets_the_verdict_that_is_true_of_it()
    {
        var found = new DiscoveryResult(
            [
                Unit("app.service", "registry.example/acme/app:latest"),
                Unit("third.service", "docker.io/library/nginx:latest"),
                Unit("pulls.service", "registry.example/acme/app:latest"),
                Unit("local.service", "localhost/built:latest", AutoUpdatePolicy.Local, digest: false),
            ],
            [
                new DiscoveryProblem("loose", null, "has io.containers.autoupdate=registry but no PODMAN_SYSTEMD_UNIT label"),
                new DiscoveryProblem("multi.service", "multi.service", "its containers run different images"),
            ]);
        var pulls = new Dictionary<string, string> { ["pulls.service"] = "ExecStart runs podman run --pull=always" };
        var entries = Migration.Classify(found, Rules, pulls, null, PolicyPath).ToDictionary(e => e.Unit);

        Assert.Equal(MigrationVerdict.Managed, entries["app.service"].Verdict);
        Assert.Contains("registry.example/acme/*", entries["app.service"].Reason, StringComparison.Ordinal);
        Assert.Equal("", entries["app.service"].Fix);

        Assert.Equal(MigrationVerdict.NeedsRule, entries["third.service"].Verdict);
        Assert.Equal("needs a policy rule", entries["third.service"].Word);
        Assert.Contains("repository = \"docker.io/library/nginx\"", entries["third.service"].Fix, StringComparison.Ordinal);
        Assert.Contains(PolicyPath, entries["third.service"].Fix, StringComparison.Ordinal);

        Assert.Equal(MigrationVerdict.Unmanageable, entries["pulls.service"].Verdict);
        Assert.Contains("--pull=always", entries["pulls.service"].Reason, StringComparison.Ordinal);
        Assert.Equal(Migration.PullOnStartFix, entries["pulls.service"].Fix);

        Assert.Equal(MigrationVerdict.Unmanageable, entries["local.service"].Verdict);
        Assert.Contains("no registry digest", entries["local.service"].Reason, StringComparison.Ordinal);

        Assert.Equal(MigrationVerdict.Unmanageable, entries["loose"].Verdict);
        Assert.Contains("PODMAN_SYSTEMD_UNIT=%n", entries["loose"].Fix, StringComparison.Ordinal);
        Assert.Equal(MigrationVerdict.Unmanageable, entries["multi.service"].Verdict);
        Assert.Contains("different images", entries["multi.service"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rootless_users_units_are_named_for_the_user_and_not_managed()
    {
        var found = new DiscoveryResult([Unit("web.service", "registry.example/acme/app:latest")], [new DiscoveryProblem("stray", null, "no unit")]);
        var entries = Migration.Classify(found, Rules, new Dictionary<string, string>(), "alice", PolicyPath);
        Assert.All(entries, e => Assert.Equal(MigrationVerdict.NotManaged, e.Verdict));
        Assert.Equal(["user:alice:web.service", "user:alice:stray"], entries.Select(e => e.Unit));
        Assert.Contains("systemctl --user -M alice@ disable --now podman-auto-update.timer", entries[0].Fix, StringComparison.Ordinal);
        Assert.Contains("not manage", entries[0].Reason, StringComparison.Ordinal);
    }
}
