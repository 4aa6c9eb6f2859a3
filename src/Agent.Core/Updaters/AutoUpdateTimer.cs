namespace UpdateAgent.Core.Updaters;

/// <summary>
/// podman's own updater, <c>podman-auto-update.timer</c>: it runs <c>podman auto-update</c>
/// daily, which pulls each labelled container's tag and restarts its unit with no signature or
/// blessing checked. Turns what systemd and the file system say about it into findings.
/// </summary>
public static class AutoUpdateTimer
{
    /// <summary>The timer's unit name, the same for the system and for users.</summary>
    public const string Unit = "podman-auto-update.timer";

    /// <summary>The targets the timer is enabled into (its [Install] says timers.target; default.target is what users often pick).</summary>
    public static readonly IReadOnlyList<string> Targets = ["timers.target.wants", "default.target.wants"];

    /// <summary>The command that turns the system timer off.</summary>
    public const string SystemFix = $"systemctl disable --now {Unit}";

    /// <summary>The command that removes the global user enable (users' running managers keep it until they stop it or log out).</summary>
    public const string GlobalFix = $"systemctl --global disable {Unit}";

    /// <summary>The command that turns one user's timer off.</summary>
    public static string UserFix(string user) => $"systemctl --user -M {user}@ disable --now {Unit}";

    /// <summary>
    /// The system timer as a finding, or null when it is neither enabled nor running:
    /// <paramref name="unitFileState"/> is systemd's <c>GetUnitFileState</c> answer (empty when
    /// the file does not exist), <paramref name="activeState"/> the unit's <c>ActiveState</c>.
    /// </summary>
    public static OtherUpdater? FromSystem(string? unitFileState, string? activeState)
    {
        var enabled = unitFileState is "enabled" or "enabled-runtime" or "linked" or "linked-runtime";
        var active = activeState is "active" or "activating" or "reloading";
        if (!enabled && !active)
        {
            return null;
        }
        var state = (enabled, active) switch
        {
            (true, true) => $"enabled ({unitFileState}) and active",
            (true, false) => $"enabled ({unitFileState}), not active until the next boot",
            _ => $"active, though not enabled ({(string.IsNullOrEmpty(unitFileState) ? "no unit file state" : unitFileState)})",
        };
        return new OtherUpdater(UpdaterKind.SystemTimer,
            $"the system's {Unit} is {state}: podman auto-update pulls the tag of every auto-update container daily and restarts it, unverified", SystemFix);
    }
}
