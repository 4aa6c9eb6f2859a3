namespace UpdateAgent.Core.Engine;

/// <summary>What a pass does about a unit that runs an image update-agent did not verify (<c>on_unverified</c>).</summary>
public enum UnverifiedAction
{
    /// <summary>Put the unit's last verified digest back (pulled by digest if gone), restart and health-gate it.</summary>
    Restore,
    /// <summary>Only report it (<c>unverified</c>, a journal warning, a metric, a webhook).</summary>
    Report,
}
