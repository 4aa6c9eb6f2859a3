namespace UpdateAgent.Core.Ports;

/// <summary>What the verifier decided about a candidate.</summary>
public enum VerdictOutcome
{
    /// <summary>Signed as the policy requires: the unit may move to it.</summary>
    Accepted,

    /// <summary>Something proves it must not run (wrong signer, wrong source, …).</summary>
    Refused,

    /// <summary>Nothing could be decided (the registry did not answer): ask again next pass.</summary>
    Undecided,
}
