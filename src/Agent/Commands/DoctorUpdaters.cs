using UpdateAgent.Core.Updaters;
using UpdateAgent.Systemd;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>doctor</c>'s check for other updaters: a FAIL line for each <c>podman-auto-update.timer</c>
/// enabled or running — the system's, the one enabled for every user, each user's own (enabled in
/// a home, or active in a running user manager) — since
/// each pulls tags and restarts units without verifying anything, behind update-agent's back.
/// Doctor runs as root outside the daemon's sandbox, so it reads every home.
/// </summary>
internal static class DoctorUpdaters
{
    private const string What = "other updaters";

    /// <summary>Reports through <paramref name="report"/> (what, ok, detail, fix); <paramref name="systemd"/> is null when the bus could not be reached.</summary>
    public static async Task CheckAsync(SystemdManager? systemd, TimerFiles files, Func<string, bool, string, string, Task> report, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindAsync(systemd, files, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            await report(What, false, problem, "").ConfigureAwait(false);
        }
        foreach (var updater in found)
        {
            await report("other updater", false, updater.What, updater.Fix).ConfigureAwait(false);
        }
        if (found.Count == 0)
        {
            await report(What, true, $"{AutoUpdateTimer.Unit} is enabled neither for the system, nor for every user, nor in any home", "").ConfigureAwait(false);
        }
    }

    /// <summary>Every timer found, and why the system's could not be asked about (null when it could).</summary>
    public static async Task<(List<OtherUpdater> Found, string? Problem)> FindAsync(SystemdManager? systemd, TimerFiles files, CancellationToken cancellationToken)
    {
        var found = new List<OtherUpdater>();
        string? problem = null;
        if (systemd is null)
        {
            problem = $"cannot ask systemd whether the system's {AutoUpdateTimer.Unit} is enabled (see above)";
        }
        else
        {
            try
            {
                var fileState = await systemd.GetUnitFileStateAsync(AutoUpdateTimer.Unit, cancellationToken).ConfigureAwait(false);
                var state = await systemd.GetUnitStateAsync(AutoUpdateTimer.Unit, cancellationToken).ConfigureAwait(false);
                if (AutoUpdateTimer.FromSystem(fileState, state.ActiveState) is { } system)
                {
                    found.Add(system);
                }
            }
            catch (SystemdException e)
            {
                problem = $"cannot ask systemd about {AutoUpdateTimer.Unit}: {e.Message}";
            }
        }
        found.AddRange(files.GlobalUserTimers());
        found.AddRange(files.UserTimers());
        if (ReferenceEquals(files, TimerFiles.Host))
        {
            var known = found.Where(f => f.User is not null).Select(f => f.User!).ToHashSet(StringComparer.Ordinal);
            found.AddRange(await RunningUserTimers.FindAsync(known, cancellationToken).ConfigureAwait(false));
        }
        return (found, problem);
    }
}
