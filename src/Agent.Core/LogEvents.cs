using Microsoft.Extensions.Logging;

namespace UpdateAgent.Core;

/// <summary>
/// Every event the agent logs, with a stable event ID and a stable journal <c>MESSAGE_ID</c> (the
/// journal catalog explains each). Append only: never renumber or reuse an entry.
/// </summary>
public static class LogEvents
{
    /// <summary>A pass over the units began.</summary>
    public static readonly EventId PassStarted = new(1000, nameof(PassStarted));
    /// <summary>A pass over the units ended.</summary>
    public static readonly EventId PassFinished = new(1001, nameof(PassFinished));
    /// <summary>A unit runs what its tag names.</summary>
    public static readonly EventId UnitUpToDate = new(1010, nameof(UnitUpToDate));
    /// <summary>A unit runs an image update-agent did not verify, and it was not restored.</summary>
    public static readonly EventId UnitUnverified = new(1011, nameof(UnitUnverified));
    /// <summary>A unit's own start pulls its tag; update-agent leaves it alone.</summary>
    public static readonly EventId UnitUnmanageable = new(1012, nameof(UnitUnmanageable));
    /// <summary>A candidate was refused by the trust policy; nothing was pulled.</summary>
    public static readonly EventId UpdateRefused = new(1020, nameof(UpdateRefused));
    /// <summary>A candidate could not be judged (registry down, timeout).</summary>
    public static readonly EventId UpdateUndecided = new(1021, nameof(UpdateUndecided));
    /// <summary>A unit is held or its candidate quarantined; nothing was done.</summary>
    public static readonly EventId UpdateSkipped = new(1022, nameof(UpdateSkipped));
    /// <summary>Dry run: a candidate would be rolled out.</summary>
    public static readonly EventId UpdatePending = new(1023, nameof(UpdatePending));
    /// <summary>An update step began (pull, tag, restart, health gate).</summary>
    public static readonly EventId UpdateStep = new(1030, nameof(UpdateStep));
    /// <summary>A unit was moved to a new digest and is healthy.</summary>
    public static readonly EventId UpdateCommitted = new(1040, nameof(UpdateCommitted));
    /// <summary>A unit that ran an unverified image runs its last verified digest again.</summary>
    public static readonly EventId UnitRestored = new(1041, nameof(UnitRestored));
    /// <summary>Images the agent replaced and no unit keeps were removed after a commit.</summary>
    public static readonly EventId ImagesPruned = new(1042, nameof(ImagesPruned));
    /// <summary>An image the agent meant to remove could not be removed.</summary>
    public static readonly EventId ImagePruneFailed = new(1043, nameof(ImagePruneFailed));
    /// <summary>A candidate failed its health gate; the previous image runs again and the candidate is quarantined.</summary>
    public static readonly EventId UpdateRolledBack = new(1050, nameof(UpdateRolledBack));
    /// <summary>An update failed; the message says what the unit runs.</summary>
    public static readonly EventId UpdateFailed = new(1060, nameof(UpdateFailed));
    /// <summary>The history store could not be written; the unit's work failed or was undone, and the record is resolved by the next pass.</summary>
    public static readonly EventId HistoryStoreFailed = new(1061, nameof(HistoryStoreFailed));
    /// <summary>History older than <c>history_days</c> was removed.</summary>
    public static readonly EventId HistoryPruned = new(1062, nameof(HistoryPruned));
    /// <summary>An update interrupted by a crash or stop was resolved on start.</summary>
    public static readonly EventId UpdateRecovered = new(1070, nameof(UpdateRecovered));
    /// <summary>Discovery could not take a container or unit in.</summary>
    public static readonly EventId DiscoveryProblem = new(1080, nameof(DiscoveryProblem));
    /// <summary>The redeploy guard refused to start a unit.</summary>
    public static readonly EventId GuardRefused = new(1090, nameof(GuardRefused));

    /// <summary>A webhook could not be told about an event.</summary>
    public static readonly EventId WebhookFailed = new(1100, nameof(WebhookFailed));
    /// <summary>The daemon started, resolved interrupted updates and is ready.</summary>
    public static readonly EventId DaemonReady = new(1110, nameof(DaemonReady));
    /// <summary>The daemon is stopping.</summary>
    public static readonly EventId DaemonStopping = new(1111, nameof(DaemonStopping));
    /// <summary>systemd could not be told the daemon's state (READY=1, STATUS=…); the work goes on.</summary>
    public static readonly EventId DaemonNotifyFailed = new(1112, nameof(DaemonNotifyFailed));
    /// <summary>Another updater (podman-auto-update.timer) is on and pulls tags unverified.</summary>
    public static readonly EventId OtherUpdaterEnabled = new(1120, nameof(OtherUpdaterEnabled));

    /// <summary>The Podman API connection failed during a call; it is retried once on a fresh connection (the podman adapter's event).</summary>
    public static readonly EventId PodmanReconnecting = new(5101, nameof(PodmanReconnecting));
    /// <summary>Discovery left a container out (the podman adapter's event; the engine logs <see cref="DiscoveryProblem"/> too).</summary>
    public static readonly EventId PodmanDiscoveryProblem = new(5102, nameof(PodmanDiscoveryProblem));
    /// <summary>An image was pulled by digest (the podman adapter's event).</summary>
    public static readonly EventId ImagePulled = new(5103, nameof(ImagePulled));

    /// <summary>systemd could not be reached over D-Bus; the watchdog is not petted while this lasts.</summary>
    public static readonly EventId SystemdUnreachable = new(1130, nameof(SystemdUnreachable));
    /// <summary>systemd answers over D-Bus again after an outage; the watchdog is petted again.</summary>
    public static readonly EventId SystemdReachable = new(1131, nameof(SystemdReachable));
    /// <summary>The connection to systemd's bus was lost and a new one opened (the systemd adapter's event).</summary>
    public static readonly EventId SystemdReconnected = new(5201, nameof(SystemdReconnected));

    /// <summary>journald <c>MESSAGE_ID</c> (128-bit, hex) per event ID, for <c>journalctl MESSAGE_ID=…</c> and the catalog.</summary>
    public static readonly IReadOnlyDictionary<int, string> MessageIds = new Dictionary<int, string>
    {
        [1000] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b01",
        [1001] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b02",
        [1010] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b10",
        [1011] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b11",
        [1012] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b12",
        [1020] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b20",
        [1021] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b21",
        [1022] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b22",
        [1023] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b23",
        [1030] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b30",
        [1040] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b40",
        [1041] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b41",
        [1042] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b42",
        [1043] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b43",
        [1050] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b50",
        [1060] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b60",
        [1061] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b61",
        [1062] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b62",
        [1070] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b70",
        [1080] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b80",
        [1090] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b90",
        [1100] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c00",
        [1110] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c10",
        [1111] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c11",
        [1112] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c12",
        [1120] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c20",
        [5101] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5101",
        [5102] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5102",
        [5103] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5103",
        [1130] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c30",
        [1131] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c31",
        [5201] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5201",
    };
}
