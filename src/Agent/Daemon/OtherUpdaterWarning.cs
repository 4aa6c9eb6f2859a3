using UpdateAgent.Core;
using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Updaters;
using UpdateAgent.Hosting;
using UpdateAgent.Systemd;

namespace UpdateAgent.Daemon;

/// <summary>
/// Warns in the journal, at start and before every pass, while the system's
/// <c>podman-auto-update.timer</c> or the user timer enabled for every user is on: each pulls
/// tags and restarts units unverified, so a unit may run an image update-agent refused. The
/// daemon runs with <c>ProtectHome=yes</c> and cannot read users' own timers; the warning says
/// where those are listed (<c>update-agent doctor</c>, as root).
/// </summary>
internal sealed partial class OtherUpdaterWarning(AgentServices services, ILogger<OtherUpdaterWarning> logger)
{
    private const string HomesNote = "; update-agent runs with ProtectHome=yes and cannot see users' own timers: 'update-agent doctor', run as root, lists them";

    /// <summary>Logs one warning per updater found; finds nothing, and says nothing, when systemd cannot be asked (the pass reports that).</summary>
    public async Task WarnAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<OtherUpdater> found;
        try
        {
            found = await OtherUpdaters.FindAsync(services.Systemd, TimerFiles.Host, readHomes: false, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdException)
        {
            return;
        }
        foreach (var updater in found)
        {
            Enabled(logger, updater.What, updater.Fix, updater.Kind == UpdaterKind.GlobalUserTimer ? HomesNote : "");
        }
    }

    [LoggerMessage(EventId = (int)AgentEvent.OtherUpdaterEnabled, EventName = nameof(AgentEvent.OtherUpdaterEnabled), Level = LogLevel.Warning,
        Message = "another updater is on: {UPDATER}; turn it off: {FIX}{NOTE}")]
    private static partial void Enabled(ILogger logger, string UPDATER, string FIX, string NOTE);
}
