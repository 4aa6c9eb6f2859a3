using UpdateAgent.Core.Engine;
using UpdateAgent.Systemd;
using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Systemd;

/// <summary>The systemd manager against the guest's real dbus-daemon and systemd.</summary>
[Collection(TestbedCollection.Name)]
public sealed class RealSystemdTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private Task<SystemdManager> ConnectAsync() => SystemdManager.ConnectAsync($"unix:path={testbed.DBusSocket}");

    [Fact]
    public async Task Restarting_a_podman_unit_reports_done_and_a_new_invocation()
    {
        var image = $"{testbed.Registry}/systemd/web:latest";
        await testbed.PushImageAsync(image);
        await GuestUnits.InstallAndStartAsync(testbed, "sd-web.service", GuestUnits.Container("sd-web", image));
        await using var systemd = await ConnectAsync();

        var before = await systemd.GetUnitStateAsync("sd-web.service");
        Assert.True(before.IsActive, $"before: {before}");
        var outcome = await systemd.RestartUnitAndWaitAsync("sd-web.service", TimeSpan.FromSeconds(90));
        output.WriteLine($"RestartUnit sd-web.service → {outcome.ResultWord}; {before.InvocationId} → {outcome.StateAfter.InvocationId}");

        Assert.Equal(JobResult.Done, outcome.Result);
        Assert.True(outcome.StateAfter.IsActive, $"after: {outcome.StateAfter}");
        Assert.Equal(32, outcome.StateAfter.InvocationId.Length);
        Assert.NotEqual(before.InvocationId, outcome.StateAfter.InvocationId);
        Assert.Equal("loaded", outcome.StateAfter.LoadState);
        await systemd.StopUnitAndWaitAsync("sd-web.service", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Restarting_a_unit_whose_container_exits_at_once_reports_the_failure()
    {
        var image = $"{testbed.Registry}/systemd/broken:latest";
        await testbed.PushImageAsync(image, command: """["/bin/false"]""");
        // --sdnotify=container: the unit is ready only when the container says so, and this one exits first.
        await testbed.WriteGuestFileAsync("/etc/systemd/system/sd-broken.service",
            GuestUnits.Container("sd-broken", image).Replace("--sdnotify=conmon", "--sdnotify=container", StringComparison.Ordinal));
        await testbed.ShellInGuestAsync("systemctl daemon-reload");
        await using var systemd = await ConnectAsync();

        var outcome = await systemd.RestartUnitAndWaitAsync("sd-broken.service", TimeSpan.FromSeconds(90));
        output.WriteLine($"RestartUnit sd-broken.service → {outcome.ResultWord}; state {outcome.StateAfter}");

        Assert.False(outcome.Succeeded);
        Assert.Equal(JobResult.Failed, outcome.Result);
        Assert.NotEqual("active", outcome.StateAfter.ActiveState);
        Assert.NotEqual("success", outcome.StateAfter.Result);
    }

    [Fact]
    public async Task Units_are_listed_by_pattern_and_a_missing_unit_is_an_error_by_name()
    {
        await using var systemd = await ConnectAsync();
        var units = await systemd.ListUnitsByPatternsAsync(["active"], ["dbus.*", "systemd-journald.service"]);
        Assert.Contains(units, u => u.Name == "dbus.service" && u.ActiveState == "active");
        Assert.Contains(units, u => u.Name == "systemd-journald.service");
        Assert.DoesNotContain(units, u => u.Name.StartsWith("podman", StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<SystemdErrorReplyException>(() => systemd.GetUnitAsync("no-such-thing.service"));
        Assert.Equal(SystemdNames.NoSuchUnitError, e.ErrorName);

        var journald = await systemd.GetUnitStateAsync("systemd-journald.service");
        Assert.True(journald.IsActive);
        Assert.NotEqual(0u, journald.MainPid);
        Assert.NotNull(journald.ActiveEnterTimestamp);
    }

    [Fact]
    public async Task ExecStart_is_read_as_systemd_parsed_it_and_a_timer_has_none()
    {
        // Not started: LoadUnit loads it. Quoting, an escaped %, a specifier and two commands (oneshot).
        await testbed.WriteGuestFileAsync("/etc/systemd/system/sd-exec.service", $"""
            [Service]
            Type=oneshot
            ExecStart=/usr/bin/podman run --pull=newer --name sd-exec "{testbed.Registry}/systemd/exec:latest" echo 'two words' 100%%
            ExecStart=-/usr/bin/env podman --cgroups=split run --pull always %n
            """);
        await testbed.ShellInGuestAsync("systemctl daemon-reload");
        await using var systemd = await ConnectAsync();

        var commands = await systemd.GetExecStartAsync("sd-exec.service");
        output.WriteLine(string.Join("\n", commands.Select(argv => string.Join(" | ", argv))));
        Assert.Equal(2, commands.Count);
        Assert.Equal(["/usr/bin/podman", "run", "--pull=newer", "--name", "sd-exec", $"{testbed.Registry}/systemd/exec:latest", "echo", "two words", "100%"], commands[0]);
        Assert.Equal(["/usr/bin/env", "podman", "--cgroups=split", "run", "--pull", "always", "sd-exec.service"], commands[1]);
        Assert.Empty(await systemd.GetExecStartAsync("podman-auto-update.timer"));
        Assert.Empty(await systemd.GetExecStartAsync("no-such-thing.service"));
        await testbed.ShellInGuestAsync("rm -f /etc/systemd/system/sd-exec.service && systemctl daemon-reload");
    }

    [Fact]
    [OnlyOnGuest(Guests.Debian13, "Quadlet came with podman 4.4; the debian12 guest has podman 4.3.1")]
    public async Task Quadlet_units_that_pull_on_start_are_told_from_those_that_do_not()
    {
        testbed.RequireGuest(Guests.Debian13, "Quadlet came with podman 4.4");
        foreach (var policy in new[] { "newer", "always", "missing" })
        {
            await testbed.WriteGuestFileAsync($"/etc/containers/systemd/sd-pull-{policy}.container",
                $"[Container]\nImage={testbed.Registry}/systemd/pull:latest\nAutoUpdate=registry\nPull={policy}\n");
        }
        await testbed.ShellInGuestAsync("systemctl daemon-reload");
        await using var systemd = await ConnectAsync();
        try
        {
            foreach (var policy in new[] { "newer", "always" })
            {
                var argv = Assert.Single(await systemd.GetExecStartAsync($"sd-pull-{policy}.service"));
                output.WriteLine(string.Join(' ', argv));
                Assert.Equal(["--pull", policy], argv.SkipWhile(a => a != "--pull").Take(2));
                Assert.StartsWith($"ExecStart runs 'podman run --pull {policy}'", PullOnStart.Reason([argv]), StringComparison.Ordinal);
            }
            Assert.Null(PullOnStart.Reason(await systemd.GetExecStartAsync("sd-pull-missing.service")));
        }
        finally
        {
            await testbed.ShellInGuestAsync("rm -f /etc/containers/systemd/sd-pull-*.container && systemctl daemon-reload");
        }
    }
}
