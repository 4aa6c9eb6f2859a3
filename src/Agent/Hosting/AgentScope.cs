using UpdateAgent.Configuration;
using UpdateAgent.Core.Configuration;
using UpdateAgent.Systemd;

namespace UpdateAgent.Hosting;

/// <summary>
/// Whose units the process manages: the system's (root, the system bus, podman's system socket) or,
/// with <c>--user</c>, one user's rootless units (that user's systemd manager and podman socket).
/// A user instance runs with that user's rights only, so no root process ever reads what a user's
/// podman service or systemd manager answers; the trust policy it enforces stays root's file.
/// </summary>
internal sealed record AgentScope(string? UserName, string? RuntimeDirectory, string? ConfigDirectory, string? StateDirectory)
{
    /// <summary>The option that selects a user instance, as <c>systemctl --user</c> does.</summary>
    public const string UserOption = "--user";

    /// <summary>The system daemon's scope.</summary>
    public static readonly AgentScope System = new(null, null, null, null);

    /// <summary>The scope of this process: set once from the command line before any command runs.</summary>
    public static AgentScope Current { get; set; } = System;

    /// <summary>Whether this is a user instance.</summary>
    public bool IsUser => UserName is not null;

    /// <summary>
    /// Takes a leading <c>--user</c> off <paramref name="args"/> and returns the user scope it asks for,
    /// built from the environment a user's systemd manager gives its services.
    /// </summary>
    public static AgentScope FromArguments(ref string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != UserOption)
        {
            return System;
        }
        args = args[1..];
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new AgentScope(
            Environment.UserName,
            Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime ? runtime : null,
            Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(home, ".config"), "update-agent"),
            Path.Combine(Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } state ? state : Path.Combine(home, ".local", "state"), "update-agent"));
    }

    /// <summary>Why this scope cannot run at all, or null.</summary>
    public string? Problem()
    {
        if (!IsUser)
        {
            return null;
        }
        if (ProcessIdentity.EffectiveUid == 0)
        {
            return "--user manages one user's rootless units and runs as that user; root's units are the system daemon's (drop --user)";
        }
        return RuntimeDirectory is null
            ? "--user needs XDG_RUNTIME_DIR (the user's /run/user/UID): run it from the user's systemd manager (systemctl --user) or a login session"
            : null;
    }

    /// <summary>The files read when no <c>--config</c> is given.</summary>
    public IReadOnlyList<string> DefaultFiles() => IsUser
        ? AgentConfigLoader.DefaultFiles(Path.Combine(ConfigDirectory!, "agent.toml"), Path.Combine(ConfigDirectory!, "agent.d"))
        : AgentConfigLoader.DefaultFiles();

    /// <summary>The settings before any file is read: the system's paths, or the user's own.</summary>
    public AgentSettings Defaults()
    {
        if (!IsUser)
        {
            return new AgentSettings { DBusAddress = SystemBus.Address };
        }
        var runtime = RuntimeDirectory ?? "/run/user/" + ProcessIdentity.EffectiveUid;
        return new AgentSettings
        {
            StateDirectory = StateDirectory!,
            PodmanSocket = Path.Combine(runtime, "podman", "podman.sock"),
            DBusAddress = Environment.GetEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS") is { Length: > 0 } session ? session : $"unix:path={Path.Combine(runtime, "bus")}",
            ApiSocket = Path.Combine(runtime, "update-agent", "api.sock"),
        };
    }

    /// <summary>Settings a user instance cannot honour, named.</summary>
    public IEnumerable<string> SettingProblems(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (IsUser && settings.ApiGroup is { } group)
        {
            yield return $"[agent] api_group = \"{group}\" is for the system daemon; a user instance's API is its user's alone";
        }
    }
}
