using System.ComponentModel;
using System.Diagnostics;
using UpdateAgent.Core.Updaters;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>podman-auto-update.timer</c> active in a running user manager — started by hand, or enabled
/// where no link shows it (a drop-in, a preset). Asked the way <c>systemctl --user -M NAME@</c>
/// asks: the system daemon's D-Bus cannot see users' managers. Used by <c>doctor</c> and
/// <c>units --migration</c>, which run as root outside the daemon's sandbox. Bounded: each
/// question waits at most <see cref="Timeout"/>, and at most <see cref="MaxUsers"/> are asked.
/// </summary>
internal static class RunningUserTimers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private const int MaxUsers = 256;

    /// <summary>One finding per user whose manager runs the timer, skipping users in <paramref name="known"/>.</summary>
    public static async Task<IReadOnlyList<OtherUpdater>> FindAsync(IReadOnlySet<string> known, CancellationToken cancellationToken)
    {
        var found = new List<OtherUpdater>();
        // A running user manager keeps its runtime state in /run/user/UID/systemd.
        foreach (var (user, _) in RootlessSockets.Users().Where(u => Directory.Exists(Path.Join(u.Runtime, "systemd"))).Take(MaxUsers))
        {
            if (!known.Contains(user) && await IsActiveAsync(user, cancellationToken).ConfigureAwait(false))
            {
                found.Add(new OtherUpdater(UpdaterKind.UserTimer,
                    $"{user}'s {AutoUpdateTimer.Unit} is active in {user}'s running user manager: podman auto-update pulls and restarts {user}'s auto-update containers daily, unverified",
                    AutoUpdateTimer.UserFix(user), user));
            }
        }
        return found;
    }

    private static async Task<bool> IsActiveAsync(string user, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("systemctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--user", "-M", $"{user}@", "is-active", "--quiet", AutoUpdateTimer.Unit })
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            // no systemctl here: the enablement links are still read
            return false;
        }
    }
}
