using UpdateAgent.Core.Updaters;
using UpdateAgent.Systemd;

namespace UpdateAgent.Daemon;

/// <summary>
/// Looks for other updaters on the host: the system's <c>podman-auto-update.timer</c> (asked of
/// systemd), the timer enabled for every user, and — when <c>readHomes</c> — each user's own.
/// </summary>
public static class OtherUpdaters
{
    /// <summary>
    /// Every other updater found. Errors talking to systemd are <see cref="SystemdException"/>;
    /// the file system is read as far as it can be (what cannot be read is not found).
    /// </summary>
    public static async Task<IReadOnlyList<OtherUpdater>> FindAsync(SystemdManager systemd, TimerFiles files, bool readHomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(systemd);
        ArgumentNullException.ThrowIfNull(files);
        var fileState = await systemd.GetUnitFileStateAsync(AutoUpdateTimer.Unit, cancellationToken).ConfigureAwait(false);
        var state = await systemd.GetUnitStateAsync(AutoUpdateTimer.Unit, cancellationToken).ConfigureAwait(false);
        var found = new List<OtherUpdater>();
        if (AutoUpdateTimer.FromSystem(fileState, state.ActiveState) is { } system)
        {
            found.Add(system);
        }
        found.AddRange(files.GlobalUserTimers());
        if (readHomes)
        {
            found.AddRange(files.UserTimers());
        }
        return found;
    }
}
