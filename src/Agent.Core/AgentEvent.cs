namespace UpdateAgent.Core;

/// <summary>
/// Every event the agent logs, by its stable event ID. Append only: never renumber or reuse a
/// value. Each has a journal <c>MESSAGE_ID</c> in <see cref="LogEvents.MessageIds"/> and an entry in
/// units/update-agent.catalog (a test checks all three against each other and the code).
/// </summary>
public enum AgentEvent
{
    /// <summary>A pass over the units began.</summary>
    PassStarted = 1000,
    /// <summary>A pass over the units ended.</summary>
    PassFinished = 1001,
    /// <summary>A unit runs what its tag names.</summary>
    UnitUpToDate = 1010,
    /// <summary>A unit runs an image update-agent did not verify, and it was not restored.</summary>
    UnitUnverified = 1011,
    /// <summary>A unit's own start pulls its tag; update-agent leaves it alone.</summary>
    UnitUnmanageable = 1012,
    /// <summary>A candidate was refused by the trust policy; nothing was pulled.</summary>
    UpdateRefused = 1020,
    /// <summary>A candidate could not be judged (registry down, timeout).</summary>
    UpdateUndecided = 1021,
    /// <summary>A unit is held or its candidate quarantined; nothing was done.</summary>
    UpdateSkipped = 1022,
    /// <summary>Dry run: a candidate would be rolled out.</summary>
    UpdatePending = 1023,
    /// <summary>An update step began (pull, tag, restart, health gate).</summary>
    UpdateStep = 1030,
    /// <summary>A unit was moved to a new digest and is healthy.</summary>
    UpdateCommitted = 1040,
    /// <summary>A unit that ran an unverified image runs its last verified digest again.</summary>
    UnitRestored = 1041,
    /// <summary>Images the agent replaced and no unit keeps were removed after a commit.</summary>
    ImagesPruned = 1042,
    /// <summary>An image the agent meant to remove could not be removed.</summary>
    ImagePruneFailed = 1043,
    /// <summary>A candidate failed its health gate; the previous image runs again and the candidate is quarantined.</summary>
    UpdateRolledBack = 1050,
    /// <summary>An update failed; the message says what the unit runs.</summary>
    UpdateFailed = 1060,
    /// <summary>The history store could not be written; the unit's work failed or was undone, and the record is resolved by the next pass.</summary>
    HistoryStoreFailed = 1061,
    /// <summary>History older than <c>history_days</c> was removed.</summary>
    HistoryPruned = 1062,
    /// <summary>An update interrupted by a crash or stop was resolved on start.</summary>
    UpdateRecovered = 1070,
    /// <summary>Discovery could not take a container or unit in.</summary>
    DiscoveryProblem = 1080,
    /// <summary>The redeploy guard refused to start a unit.</summary>
    GuardRefused = 1090,
    /// <summary>A webhook could not be told about an event.</summary>
    WebhookFailed = 1100,
    /// <summary>The daemon started, resolved interrupted updates and is ready.</summary>
    DaemonReady = 1110,
    /// <summary>The daemon is stopping.</summary>
    DaemonStopping = 1111,
    /// <summary>systemd could not be told the daemon's state (READY=1, STATUS=…); the work goes on.</summary>
    DaemonNotifyFailed = 1112,
    /// <summary>Another updater (podman-auto-update.timer) is on and pulls tags unverified.</summary>
    OtherUpdaterEnabled = 1120,
    /// <summary>The Podman API connection failed during a call; it is retried once on a fresh connection (the podman adapter's event).</summary>
    PodmanReconnecting = 5101,
    /// <summary>Discovery left a container out (the podman adapter's event; the engine logs <see cref="DiscoveryProblem"/> too).</summary>
    PodmanDiscoveryProblem = 5102,
    /// <summary>An image was pulled by digest (the podman adapter's event).</summary>
    ImagePulled = 5103,
    /// <summary>systemd could not be reached over D-Bus; the watchdog is not petted while this lasts.</summary>
    SystemdUnreachable = 1130,
    /// <summary>systemd answers over D-Bus again after an outage; the watchdog is petted again.</summary>
    SystemdReachable = 1131,
    /// <summary>The connection to systemd's bus was lost and a new one opened (the systemd adapter's event).</summary>
    SystemdReconnected = 5201,
}
