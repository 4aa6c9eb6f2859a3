namespace UpdateAgent.Trust.Verification;

/// <summary>What the verifier concluded.</summary>
public enum VerdictOutcome
{
    /// <summary>Every requirement of the policy holds.</summary>
    Accepted,

    /// <summary>At least one requirement fails for a reason that is about the image.</summary>
    Refused,

    /// <summary>Nothing refuses it, but something could not be checked (registry down, timeout): try again later, never "accepted".</summary>
    Undecided,
}
