namespace UpdateAgent.Core.Updaters;

/// <summary>Where another updater was found.</summary>
public enum UpdaterKind
{
    /// <summary>The system's <c>podman-auto-update.timer</c>: rootful containers.</summary>
    SystemTimer,

    /// <summary>The user timer enabled for every user (<c>systemctl --global enable</c>).</summary>
    GlobalUserTimer,

    /// <summary>One user's own user timer: that user's rootless containers.</summary>
    UserTimer,
}
