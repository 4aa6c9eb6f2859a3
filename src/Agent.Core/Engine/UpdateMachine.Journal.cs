using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Engine;

public sealed partial class UpdateMachine
{
    /// <summary>The state as the journal keeps it: its kind and every datum recovery needs to continue from it.</summary>
    internal static JournaledState Journaled(UpdateState state) => state switch
    {
        Pulling p => new JournaledState(nameof(Pulling), p.Candidate, p.PullDigest, "", p.Plan.IsRestore),
        Tagging t => new JournaledState(nameof(Tagging), t.Candidate, "", t.CandidateImageId, t.Plan.IsRestore),
        Restarting r => new JournaledState(nameof(Restarting), r.Candidate, "", "", r.Plan.IsRestore),
        HealthGating g => new JournaledState(nameof(HealthGating), g.Candidate, "", "", g.Plan.IsRestore),
        RollingBack b => new JournaledState(nameof(RollingBack), b.Candidate, "", "", b.Plan.IsRestore, b.Why, b.Quarantine),
        _ => throw new InvalidOperationException($"{state.GetType().Name} has no update record to journal in"),
    };

    private static long RecordOf(UpdateState state) => state switch
    {
        Pulling p => p.UpdateId,
        Tagging t => t.UpdateId,
        Restarting r => r.UpdateId,
        HealthGating g => g.UpdateId,
        RollingBack b => b.UpdateId,
        _ => throw new InvalidOperationException($"{state.GetType().Name} has no update record"),
    };
}
