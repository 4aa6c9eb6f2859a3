namespace UpdateAgent.Core.History;

/// <summary>The steps of an update that change something on the host, in order. Each is journaled before and after.</summary>
public enum UpdateStep
{
    /// <summary>Pulling the candidate by digest.</summary>
    Pull,
    /// <summary>Tagging: the previous image under the rollback tag, the candidate under the unit's reference.</summary>
    Tag,
    /// <summary>Restarting the unit through systemd.</summary>
    Restart,
    /// <summary>Judging health after the restart.</summary>
    HealthGate,
    /// <summary>Putting the previous image back and restarting.</summary>
    RollBack,
}

/// <summary>How an update ended, in words an operator reads (the status column of <c>history</c>).</summary>
public static class UpdateStatus
{
    /// <summary>Still going (or interrupted, until recovery resolves it).</summary>
    public const string InProgress = "in progress";
    /// <summary>Moved to the new digest, healthy.</summary>
    public const string Updated = "updated";
    /// <summary>The trust policy refused the candidate; nothing was pulled.</summary>
    public const string Refused = "refused";
    /// <summary>The candidate was unhealthy; the previous image runs again and the candidate is quarantined.</summary>
    public const string RolledBack = "rolled back";
    /// <summary>Something failed; the message says what and what the unit runs.</summary>
    public const string Failed = "failed";
    /// <summary>An interrupted update was undone on start; the unit runs its previous image.</summary>
    public const string Abandoned = "abandoned";
    /// <summary>The unit ran an image update-agent had not verified; its last verified digest runs again.</summary>
    public const string Restored = "restored";
}
