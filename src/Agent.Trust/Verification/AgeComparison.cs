using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Verification;

/// <summary>
/// Anti-downgrade, comparing like with like: the <c>org.opencontainers.image.created</c> label
/// with the label, the config's build time with the config's build time, a signed version with a
/// signed version and a version label with a version label. Mixing them judges nothing: a
/// reproducible build's config time is the epoch, and a label is whatever the build script wrote.
/// Every refusal says which comparison it made.
/// </summary>
internal static class AgeComparison
{
    /// <summary>Adds <c>downgrade</c> or <c>unknown-age</c> reasons for <paramref name="candidate"/> against what runs.</summary>
    public static void Check(CandidateFacts candidate, RunningImageFacts running, List<VerdictReason> reasons)
    {
        CheckCreated(candidate, running, reasons);
        CheckVersion(candidate, running, reasons);
    }

    private static void CheckCreated(CandidateFacts candidate, RunningImageFacts running, List<VerdictReason> reasons)
    {
        var runningLabel = running.CreatedLabel;
        var runningConfig = ImageConfigFacts.Stated(running.Created);
        if (runningLabel is null && runningConfig is null)
        {
            // Nothing states when the running image was built: there is nothing to be older than.
            return;
        }
        if (runningLabel is { } runningLabelTime && candidate.LabelCreated is { } labelTime)
        {
            Compare(labelTime, runningLabelTime, $"the {ImageConfigFacts.CreatedLabel} label", reasons);
        }
        else if (runningConfig is { } runningConfigTime && candidate.ConfigCreated is { } configTime)
        {
            Compare(configTime, runningConfigTime, "the image config's creation time", reasons);
        }
        else
        {
            var runs = runningLabel is not null ? $"its {ImageConfigFacts.CreatedLabel} label ({runningLabel:u})" : $"its config ({runningConfig:u})";
            reasons.Add(new VerdictReason(ReasonCodes.UnknownAge,
                $"the running image states its creation time in {runs}; the candidate states none there to compare with"));
        }
    }

    private static void Compare(DateTimeOffset candidate, DateTimeOffset running, string basis, List<VerdictReason> reasons)
    {
        if (candidate < running)
        {
            reasons.Add(new VerdictReason(ReasonCodes.Downgrade, $"by {basis}, the candidate was created {candidate:u}, before the running image ({running:u})"));
        }
    }

    private static void CheckVersion(CandidateFacts candidate, RunningImageFacts running, List<VerdictReason> reasons)
    {
        var (mine, theirs, basis) = running.SignedVersion is not null && candidate.SignedVersion is not null
            ? (candidate.SignedVersion, running.SignedVersion, "signed version")
            : (candidate.LabelVersion, running.Version, $"{ImageConfigFacts.VersionLabel} label");
        if (VersionOrder.Compare(mine, theirs) < 0)
        {
            reasons.Add(new VerdictReason(ReasonCodes.Downgrade, $"by the {basis}, the candidate's {mine} is older than the running {theirs}"));
        }
    }
}
