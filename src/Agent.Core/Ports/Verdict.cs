namespace UpdateAgent.Core.Ports;

/// <summary>The verifier's decision about one candidate, as the engine journals and reports it.</summary>
public sealed record Verdict
{
    /// <summary>The image verified, e.g. <c>registry/app:latest</c>.</summary>
    public required string Image { get; init; }

    /// <summary>What was decided.</summary>
    public required VerdictOutcome Outcome { get; init; }

    /// <summary>Why (empty when accepted).</summary>
    public required IReadOnlyList<VerdictReason> Reasons { get; init; }

    /// <summary>Who signed (only when accepted).</summary>
    public IReadOnlyList<SignerInfo> Signers { get; init; } = [];

    /// <summary>What was learnt about the candidate, when it could be read.</summary>
    public CandidateFacts? Facts { get; init; }
}
