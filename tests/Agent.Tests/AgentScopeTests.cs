using UpdateAgent.Core.Configuration;
using UpdateAgent.Hosting;

namespace UpdateAgent.Tests;

/// <summary>The user instance's scope: selected by a leading --user, its own paths, root's policy.</summary>
public sealed class AgentScopeTests
{
    [Fact]
    public void Without_user_the_arguments_are_untouched_and_the_scope_is_the_systems()
    {
        string[] args = ["status", "--user"];
        Assert.Same(AgentScope.System, AgentScope.FromArguments(ref args));
        Assert.Equal(["status", "--user"], args);
        Assert.Equal("/run/podman/podman.sock", AgentScope.System.Defaults().PodmanSocket);
        Assert.Null(AgentScope.System.Problem());
    }

    [Fact]
    public void A_leading_user_selects_the_users_own_sockets_state_and_settings()
    {
        string[] args = ["--user", "check", "--dry-run"];
        var scope = AgentScope.FromArguments(ref args);
        Assert.Equal(["check", "--dry-run"], args);
        Assert.True(scope.IsUser);
        var user = scope with { RuntimeDirectory = "/run/user/1000", ConfigDirectory = "/home/a/.config/update-agent", StateDirectory = "/home/a/.local/state/update-agent" };
        var defaults = user.Defaults();
        Assert.Equal("/run/user/1000/podman/podman.sock", defaults.PodmanSocket);
        Assert.Equal("/run/user/1000/update-agent/api.sock", defaults.ApiSocket);
        Assert.Equal("/home/a/.local/state/update-agent", defaults.StateDirectory);
        Assert.Equal("/etc/update-agent/policy.toml", defaults.PolicyPath);
        Assert.Equal(["/usr/lib/update-agent/agent.toml", "/home/a/.config/update-agent/agent.toml"], user.DefaultFiles());
        Assert.Contains(user.SettingProblems(defaults with { ApiGroup = "wheel" }), p => p.Contains("api_group", StringComparison.Ordinal));
    }

    [Fact]
    public void A_user_instance_refuses_root_and_a_missing_runtime_directory()
    {
        var user = new AgentScope("alice", null, "/c", "/s");
        var problem = user.Problem();
        Assert.NotNull(problem);
        Assert.Contains(ProcessIdentity.EffectiveUid == 0 ? "runs as that user" : "XDG_RUNTIME_DIR", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_users_own_file_passes_only_where_the_user_is_allowed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var owner = ProcessIdentity.EffectiveUid;
            Assert.Empty(FilePermissions.Check([file], alsoOwner: owner));
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);
            Assert.Contains(FilePermissions.Check([file], alsoOwner: owner), p => p.Contains("writable by its group", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_user_instance_logs_under_its_users_name()
    {
        Assert.Equal("update-agent", Logging.SyslogIdentifier(AgentScope.System));
        Assert.Equal("update-agent@alice", Logging.SyslogIdentifier(new AgentScope("alice", "/run/user/1000", "/c", "/s")));
    }
}
