using System.Collections.Frozen;

namespace UpdateAgent.Core;

/// <summary>The journal <c>MESSAGE_ID</c> of each <see cref="AgentEvent"/>, for <c>journalctl MESSAGE_ID=…</c> and the catalog.</summary>
public static class LogEvents
{
    private static readonly FrozenDictionary<AgentEvent, string> ByEvent = new Dictionary<AgentEvent, string>
    {
        [AgentEvent.PassStarted] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b01",
        [AgentEvent.PassFinished] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b02",
        [AgentEvent.UnitUpToDate] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b10",
        [AgentEvent.UnitUnverified] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b11",
        [AgentEvent.UnitUnmanageable] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b12",
        [AgentEvent.UpdateRefused] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b20",
        [AgentEvent.UpdateUndecided] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b21",
        [AgentEvent.UpdateSkipped] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b22",
        [AgentEvent.UpdatePending] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b23",
        [AgentEvent.UpdateStep] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b30",
        [AgentEvent.UpdateCommitted] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b40",
        [AgentEvent.UnitRestored] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b41",
        [AgentEvent.ImagesPruned] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b42",
        [AgentEvent.ImagePruneFailed] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b43",
        [AgentEvent.UpdateRolledBack] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b50",
        [AgentEvent.UpdateFailed] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b60",
        [AgentEvent.HistoryStoreFailed] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b61",
        [AgentEvent.HistoryPruned] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b62",
        [AgentEvent.UpdateRecovered] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b70",
        [AgentEvent.DiscoveryProblem] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b80",
        [AgentEvent.GuardRefused] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b90",
        [AgentEvent.WebhookFailed] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c00",
        [AgentEvent.DaemonReady] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c10",
        [AgentEvent.DaemonStopping] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c11",
        [AgentEvent.DaemonNotifyFailed] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c12",
        [AgentEvent.OtherUpdaterEnabled] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c20",
        [AgentEvent.PodmanReconnecting] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5101",
        [AgentEvent.PodmanDiscoveryProblem] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5102",
        [AgentEvent.ImagePulled] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5103",
        [AgentEvent.SystemdUnreachable] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c30",
        [AgentEvent.SystemdReachable] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0c31",
        [AgentEvent.SystemdReconnected] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a5201",
    }.ToFrozenDictionary();

    /// <summary>The MESSAGE_ID (128-bit, hex) of an event.</summary>
    public static string MessageId(AgentEvent e) => ByEvent[e];

    /// <summary>MESSAGE_IDs by numeric event ID, as the journal sink looks them up.</summary>
    public static readonly IReadOnlyDictionary<int, string> MessageIds = ByEvent.ToFrozenDictionary(e => (int)e.Key, e => e.Value);
}
