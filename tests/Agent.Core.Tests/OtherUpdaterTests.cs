using UpdateAgent.Core.Updaters;

namespace UpdateAgent.Core.Tests;

/// <summary>Finding podman-auto-update.timer: systemd's answers, and enablement links below a folder standing in for /.</summary>
public sealed class OtherUpdaterTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ua-updaters-");

    public void Dispose() => _root.Delete(recursive: true);

    private void Write(string path, string text = "")
    {
        var full = Path.Join(_root.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    // As systemctl enable makes it: a link to the unit file, which need not exist below the test root.
    private void Enable(string wantsFolder)
    {
        var full = Path.Join(_root.FullName, wantsFolder, AutoUpdateTimer.Unit);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, "/usr/lib/systemd/user/" + AutoUpdateTimer.Unit);
    }

    private TimerFiles Files => new(_root.FullName);

    [Theory]
    [InlineData("enabled", "inactive", "enabled (enabled), not active until the next boot")]
    [InlineData("enabled", "active", "enabled (enabled) and active")]
    [InlineData("enabled-runtime", "active", "enabled (enabled-runtime) and active")]
    [InlineData("disabled", "active", "active, though not enabled (disabled)")]
    [InlineData("", "activating", "active, though not enabled (no unit file state)")]
    public void The_system_timer_enabled_or_running_is_found(string fileState, string activeState, string said)
    {
        var found = AutoUpdateTimer.FromSystem(fileState, activeState);
        Assert.NotNull(found);
        Assert.Equal(UpdaterKind.SystemTimer, found.Kind);
        Assert.Contains($"the system's podman-auto-update.timer is {said}", found.What, StringComparison.Ordinal);
        Assert.Equal("systemctl disable --now podman-auto-update.timer", found.Fix);
    }

    [Theory]
    [InlineData("disabled", "inactive")]
    [InlineData("masked", "inactive")]
    [InlineData("static", "inactive")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void The_system_timer_off_or_absent_is_not(string? fileState, string? activeState) =>
        Assert.Null(AutoUpdateTimer.FromSystem(fileState, activeState));

    [Fact]
    public void Nothing_is_found_on_an_empty_root() => Assert.Empty(Files.GlobalUserTimers().Concat(Files.UserTimers()));

    [Fact]
    public void The_timer_enabled_for_every_user_is_found_per_target()
    {
        Enable("etc/systemd/user/timers.target.wants");
        var found = Assert.Single(Files.GlobalUserTimers());
        Assert.Equal(UpdaterKind.GlobalUserTimer, found.Kind);
        Assert.Contains("/etc/systemd/user/timers.target.wants/podman-auto-update.timer", found.What, StringComparison.Ordinal);
        Assert.Equal("systemctl --global disable podman-auto-update.timer", found.Fix);
        Enable("etc/systemd/user/default.target.wants");
        Assert.Equal(2, Files.GlobalUserTimers().Count);
    }

    [Fact]
    public void Each_users_own_timer_is_found_in_passwd_homes_var_home_and_roots()
    {
        Write("etc/passwd", """
            root:x:0:0:root:/root:/bin/bash
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
            bob:x:1001:1001::/var/home/bob:/bin/bash
            carol:x:1002:1002::/srv/carol:/bin/bash
            broken line without fields
            """);
        Enable("root/.config/systemd/user/timers.target.wants");
        Enable("home/alice/.config/systemd/user/timers.target.wants");
        Enable("var/home/bob/.config/systemd/user/default.target.wants");
        Enable("srv/carol/.config/systemd/user/timers.target.wants");
        // In /var/home with no passwd line (a directory-service user on an image-mode host).
        Enable("var/home/dave/.config/systemd/user/timers.target.wants");
        // A home with the timer present but not enabled.
        Write("home/erin/.config/systemd/user/podman-auto-update.timer", "[Timer]\n");

        var found = Files.UserTimers();
        Assert.Equal(["root", "alice", "bob", "carol", "dave"], found.Select(f => f.User));
        Assert.All(found, f => Assert.Equal(UpdaterKind.UserTimer, f.Kind));
        Assert.Equal("systemctl --user -M alice@ disable --now podman-auto-update.timer", found[1].Fix);
        Assert.Contains("bob's podman-auto-update.timer is enabled (/var/home/bob/.config/systemd/user/default.target.wants/podman-auto-update.timer)", found[2].What, StringComparison.Ordinal);
        Assert.Contains("/var/home/dave/.config", found[4].What, StringComparison.Ordinal);
        Assert.Empty(Files.GlobalUserTimers());
    }

    [Fact]
    public void Passwd_is_read_bounded_and_junk_is_skipped()
    {
        Assert.Empty(PasswdHomes.Parse(null));
        Assert.Empty(PasswdHomes.Parse(""));
        Assert.Empty(PasswdHomes.Parse("::::::\n#x:x:0:0::/root:/bin/sh\nnohome:x:1:1::relative:/bin/sh\n\0\0\0"));
        Assert.Equal([("a", "/h/a")], PasswdHomes.Parse("a:x:1:1::/h/a:/bin/sh\na:x:2:2::/h/other:/bin/sh"));
        var many = string.Concat(Enumerable.Range(0, PasswdHomes.MaxUsers + 5).Select(i => $"u{i}:x:{i}:{i}::/home/u{i}:/bin/sh\n"));
        Assert.Equal(PasswdHomes.MaxUsers, PasswdHomes.Parse(many).Count);
    }
}
