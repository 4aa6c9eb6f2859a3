using UpdateAgent.Podman.Discovery;
using UpdateAgent.Podman.Libpod;

namespace UpdateAgent.Podman.Tests;

public sealed class UnitGroupingTests
{
    private static LibpodContainer Running(string name, params (string Key, string Value)[] labels) => new()
    {
        Id = name + "-id",
        Names = [name],
        State = "running",
        Labels = labels.ToDictionary(l => l.Key, l => l.Value),
    };

    [Fact]
    public void Containers_of_one_unit_form_one_group_and_units_are_ordered_by_name()
    {
        var (units, problems) = UnitGrouping.Group([
            Running("web", ("io.containers.autoupdate", "registry"), ("PODMAN_SYSTEMD_UNIT", "web.service")),
            Running("db-a", ("io.containers.autoupdate", "registry"), ("PODMAN_SYSTEMD_UNIT", "db.service")),
            Running("db-b", ("io.containers.autoupdate", "registry"), ("PODMAN_SYSTEMD_UNIT", "db.service")),
        ]);

        Assert.Empty(problems);
        Assert.Equal(["db.service", "web.service"], units.Keys);
        Assert.Equal(["db-a", "db-b"], units["db.service"].Select(c => c.Listed.DisplayName));
    }

    [Theory]
    [InlineData("registry", AutoUpdatePolicy.Registry)]
    [InlineData("image", AutoUpdatePolicy.Registry)]
    [InlineData("local", AutoUpdatePolicy.Local)]
    [InlineData(" Registry ", AutoUpdatePolicy.Registry)]
    public void Policies_are_read_like_podman_auto_update(string label, AutoUpdatePolicy expected)
    {
        var (units, _) = UnitGrouping.Group([Running("app", ("io.containers.autoupdate", label), ("PODMAN_SYSTEMD_UNIT", "app.service"))]);

        Assert.Equal(expected, Assert.Single(units["app.service"]).Policy);
    }

    [Fact]
    public void Disabled_absent_and_stopped_containers_are_left_out_silently()
    {
        var stopped = Running("stopped", ("io.containers.autoupdate", "registry"), ("PODMAN_SYSTEMD_UNIT", "stopped.service"));
        stopped.State = "exited";

        var (units, problems) = UnitGrouping.Group([
            Running("off", ("io.containers.autoupdate", "disabled"), ("PODMAN_SYSTEMD_UNIT", "off.service")),
            Running("plain", ("PODMAN_SYSTEMD_UNIT", "plain.service")),
            stopped,
        ]);

        Assert.Empty(units);
        Assert.Empty(problems);
    }

    [Fact]
    public void A_container_without_a_unit_or_with_an_unknown_policy_is_a_problem_and_others_go_on()
    {
        var (units, problems) = UnitGrouping.Group([
            Running("orphan", ("io.containers.autoupdate", "registry")),
            Running("typo", ("io.containers.autoupdate", "regsitry"), ("PODMAN_SYSTEMD_UNIT", "typo.service")),
            Running("good", ("io.containers.autoupdate", "registry"), ("PODMAN_SYSTEMD_UNIT", "good.service")),
        ]);

        Assert.Equal(["good.service"], units.Keys);
        Assert.Contains("PODMAN_SYSTEMD_UNIT", Assert.Single(problems, p => p.Subject == "orphan").Message, StringComparison.Ordinal);
        var typo = Assert.Single(problems, p => p.Subject == "typo");
        Assert.Contains("'regsitry'", typo.Message, StringComparison.Ordinal);
        Assert.Equal("typo.service", typo.UnitName);
    }

    [Fact]
    public void A_pod_member_without_its_own_unit_label_uses_the_infra_containers_unit()
    {
        var infra = Running("pod-infra", ("PODMAN_SYSTEMD_UNIT", "pod-app.service"));
        infra.IsInfra = true;
        infra.Pod = "pod1";
        var member = Running("app", ("io.containers.autoupdate", "registry"));
        member.Pod = "pod1";
        member.PodName = "app-pod";

        var (units, problems) = UnitGrouping.Group([infra, member]);

        Assert.Empty(problems);
        Assert.Equal("app", Assert.Single(units["pod-app.service"]).Listed.DisplayName);
    }

    [Fact]
    public void A_pod_member_with_a_unit_of_its_own_is_restarted_through_the_pods_unit_as_podman_5_does()
    {
        // Quadlet gives each .container in a .pod a unit of its own; podman restarts the pod's.
        var infra = Running("shop-infra", ("PODMAN_SYSTEMD_UNIT", "shop-pod.service"));
        infra.IsInfra = true;
        infra.Pod = "pod1";
        var member = Running("systemd-app", ("io.containers.autoupdate", "registry"), ("PODMAN_SYSTEMD_UNIT", "app.service"));
        member.Pod = "pod1";

        var (units, problems) = UnitGrouping.Group([infra, member]);

        Assert.Empty(problems);
        Assert.Equal(["shop-pod.service"], units.Keys);
        Assert.Equal("shop-pod.service", Assert.Single(units["shop-pod.service"]).UnitName);
    }

    [Fact]
    public void A_pod_member_whose_infra_container_has_no_unit_keeps_its_own_unit()
    {
        var infra = Running("hand-infra");
        infra.IsInfra = true;
        infra.Pod = "pod1";
        var member = Running("app", ("io.containers.autoupdate", "registry"), ("PODMAN_SYSTEMD_UNIT", "app.service"));
        member.Pod = "pod1";

        var (units, problems) = UnitGrouping.Group([infra, member]);

        Assert.Empty(problems);
        Assert.Equal(["app.service"], units.Keys);
    }

    [Fact]
    public void Only_autoupdate_setting_labels_are_kept()
    {
        var settings = UnitGrouping.SettingLabels(new Dictionary<string, string>
        {
            ["io.containers.autoupdate"] = "registry",
            ["io.containers.autoupdate.health"] = "http://127.0.0.1:8080/health",
            ["io.containers.autoupdate.authfile"] = "/etc/auth.json",
            ["other"] = "x",
        });

        Assert.Equal(["io.containers.autoupdate.authfile", "io.containers.autoupdate.health"], settings.Keys.Order(StringComparer.Ordinal));
    }
}
