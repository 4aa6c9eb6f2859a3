using System.Text.Json.Serialization;

namespace UpdateAgent.Core.History;

/// <summary>
/// A unit's status after a check, and how an update ended — one enum from the state machine to
/// the CLI, the JSON, the metrics and the webhook, which all show its word (<see cref="UnitStatuses.Word"/>).
/// </summary>
[JsonConverter(typeof(UnitStatusJsonConverter))]
public enum UnitStatus
{
    /// <summary>An update is going (or was interrupted, until recovery resolves it).</summary>
    InProgress,
    /// <summary>The unit runs what the tag names, and it was verified.</summary>
    UpToDate,
    /// <summary>Moved to the new digest, healthy.</summary>
    Updated,
    /// <summary>The unit ran an image update-agent had not verified; its last verified digest runs again.</summary>
    Restored,
    /// <summary>The trust policy refused the candidate; nothing was pulled.</summary>
    Refused,
    /// <summary>An operator holds the unit.</summary>
    Held,
    /// <summary>The candidate is quarantined for this unit.</summary>
    Quarantined,
    /// <summary>Dry run: the candidate would be rolled out.</summary>
    Pending,
    /// <summary>The candidate could not be judged now (registry down, timeout); tried again next pass.</summary>
    Undecided,
    /// <summary>No container runs for a unit the agent knows (stopped, or failed to start); nothing can be judged until it runs.</summary>
    NotRunning,
    /// <summary>The candidate was unhealthy; the previous image runs again and the candidate is quarantined.</summary>
    RolledBack,
    /// <summary>An update was undone without a verdict on the candidate (the agent stopped, a step could not run); the unit runs its previous image.</summary>
    Abandoned,
    /// <summary>Something failed; the message says what and what the unit runs.</summary>
    Failed,
    /// <summary>The unit runs an image update-agent did not verify, and it was not (or could not be) restored.</summary>
    Unverified,
    /// <summary>The unit pulls its tag on every start (<c>--pull=always|newer</c>); update-agent cannot keep it on a verified image.</summary>
    Unmanageable,
}
