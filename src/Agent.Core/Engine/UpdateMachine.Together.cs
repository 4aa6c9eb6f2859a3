using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Engine;

public sealed partial class UpdateMachine
{
    /// <summary>
    /// Drives the parts of one unit whose containers run several images (one plan per image, see
    /// <see cref="UnitKey"/>). Each image is judged and verified on its own. The unit moves only when
    /// every image whose tag names something new was accepted and every other runs what was verified:
    /// then every candidate is pulled before any tag moves, every tag moves, the unit restarts once,
    /// one health gate judges all its containers, and a failure puts every image back together.
    /// A part that runs an unverified image is restored on its own first: that only ever puts back
    /// a verified image.
    /// </summary>
    /// <returns>The final state of each part, in the order of <paramref name="parts"/>.</returns>
    public async Task<IReadOnlyList<UpdateState>> RunTogetherAsync(IReadOnlyList<UnitPlan> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var states = await DriveAsync(parts.Select(p => (UpdateState)new Judging(p)).ToList(), static s => s is Accepted, cancellationToken).ConfigureAwait(false);
        var moving = Enumerable.Range(0, states.Count).Where(i => states[i] is Accepted).ToList();
        if (moving.Count == 0)
        {
            return states;
        }
        if (states.FirstOrDefault(s => s.IsTerminal && s.Status is not (UnitStatus.UpToDate or UnitStatus.Restored)) is { } blocker)
        {
            foreach (var i in moving)
            {
                var accepted = (Accepted)states[i];
                states[i] = new Unchanged(accepted.Plan, UnitStatus.Pending,
                    $"accepted {accepted.Candidate}, but {accepted.Plan.ServiceUnit} moves only when every image it runs may: "
                    + $"{blocker.Plan.ImageReference} is {blocker.Status.Word()} ({blocker.Detail})", accepted.Verdict);
            }
            return states;
        }
        // Every candidate is pulled before any tag moves: a pull that fails leaves the unit exactly as it runs.
        states = await DriveAsync(states, static s => s is Tagging, cancellationToken).ConfigureAwait(false);
        if (moving.Select(i => states[i]).FirstOrDefault(s => s.IsTerminal) is { } failedPull)
        {
            foreach (var i in moving.Where(i => states[i] is Tagging))
            {
                states[i] = Abandon((Tagging)states[i], $"not moved: {failedPull.Plan.ImageReference} of the same unit could not be pulled ({failedPull.Detail})");
            }
            return states;
        }
        // From the first tag on the unit has changed: a part that fails to tag takes every part back.
        states = await DriveAsync(states, static s => s is Restarting or RollingBack, cancellationToken).ConfigureAwait(false);
        if (moving.Select(i => states[i]).FirstOrDefault(s => s is not Restarting) is { } failedTag)
        {
            foreach (var i in moving.Where(i => states[i] is Restarting))
            {
                var tagged = (Restarting)states[i];
                states[i] = new RollingBack(tagged.Plan, tagged.Candidate, tagged.UpdateId,
                    $"undone with {failedTag.Plan.ImageReference} of the same unit, whose tagging failed", Quarantine: false);
            }
        }
        return await DriveAsync(states, static _ => false, cancellationToken).ConfigureAwait(false);
    }

    // The part was pulled but its tag never moved: it runs, and would restart into, its previous image.
    private Unchanged Abandon(Tagging s, string why)
    {
        var unwritten = new List<string>();
        Journal(unwritten, () => history.Finish(s.UpdateId, UnitStatus.Abandoned, why));
        return new Unchanged(s.Plan, UnitStatus.Abandoned, $"{why}; runs {s.Plan.RunningDigest}{Unwritten(unwritten)}");
    }
}
