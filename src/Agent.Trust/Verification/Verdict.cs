namespace UpdateAgent.Trust.Verification;

/// <summary>
/// The answer to "may this unit move to this digest?": an outcome and every reason behind it,
/// never a bare boolean.
/// </summary>
public sealed record Verdict
{
    /// <summary>The image that was verified.</summary>
    public required string Image { get; init; }

    /// <summary>Accepted, refused, or could not decide.</summary>
    public required VerdictOutcome Outcome { get; init; }

    /// <summary>Every reason found (empty when accepted).</summary>
    public required IReadOnlyList<VerdictReason> Reasons { get; init; }

    /// <summary>Authorities whose signatures verified.</summary>
    public IReadOnlyList<SignerInfo> Signers { get; init; } = [];

    /// <summary>Annotations carried by verified signatures (what the release gate blessed).</summary>
    public IReadOnlyDictionary<string, string> SignedAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Source, creation time and version of the candidate, as far as they were read.</summary>
    public CandidateFacts? Facts { get; init; }

    /// <summary>Registry requests this verification cost.</summary>
    public long RegistryRequests { get; init; }

    /// <summary>Whether the verdict has a reason with <paramref name="code"/>.</summary>
    public bool Has(string code) => Reasons.Any(r => r.Code == code);

    /// <summary>The outcome implied by <paramref name="reasons"/>: any refusal refuses, else any error is undecided.</summary>
    public static VerdictOutcome OutcomeOf(IEnumerable<VerdictReason> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var list = reasons.ToList();
        if (list.Any(r => !r.IsUndecided))
        {
            return VerdictOutcome.Refused;
        }
        return list.Count > 0 ? VerdictOutcome.Undecided : VerdictOutcome.Accepted;
    }
}
