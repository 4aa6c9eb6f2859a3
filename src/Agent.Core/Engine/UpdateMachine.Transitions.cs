namespace UpdateAgent.Core.Engine;

public sealed partial class UpdateMachine
{
    /// <summary>
    /// Every transition the machine may take, from each state that is not terminal. The machine
    /// refuses any other (it becomes the unit's failure, never a silent move), and a test checks
    /// this table against the diagram in docs/engine.md both ways.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, IReadOnlyList<Type>> Transitions = new Dictionary<Type, IReadOnlyList<Type>>
    {
        [typeof(Judging)] = [typeof(Unmanageable), typeof(Checking), typeof(Unchanged), typeof(Unverified), typeof(Pulling), typeof(Failed)],
        [typeof(Checking)] = [typeof(Unchanged), typeof(Verifying), typeof(Failed)],
        [typeof(Verifying)] = [typeof(Refused), typeof(Unchanged), typeof(Accepted), typeof(Failed)],
        [typeof(Accepted)] = [typeof(Pulling), typeof(Failed)],
        [typeof(Pulling)] = [typeof(Tagging), typeof(Unchanged), typeof(Failed)],
        [typeof(Tagging)] = [typeof(Restarting), typeof(RollingBack), typeof(Failed)],
        [typeof(Restarting)] = [typeof(HealthGating), typeof(RollingBack), typeof(Failed)],
        [typeof(HealthGating)] = [typeof(Committed), typeof(RollingBack), typeof(Failed)],
        [typeof(RollingBack)] = [typeof(RolledBack), typeof(Failed)],
    };

    /// <summary>Whether the machine may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool Allows(UpdateState from, UpdateState to) =>
        Transitions.TryGetValue(from.GetType(), out var targets) && targets.Contains(to.GetType());

    private static UpdateState Guarded(UpdateState from, UpdateState to) =>
        Allows(from, to) ? to : throw new InvalidOperationException($"no transition from {from.GetType().Name} to {to.GetType().Name}");
}
