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
