using UpdateAgent.Core.Health;

namespace UpdateAgent.Core.Engine;

/// <summary>The engine's limits and defaults, as named constants and options.</summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Registry checks run in parallel up to this many distinct images: enough that a typical host's
    /// images take one round trip, few enough not to look like a flood to a registry's rate limit.
    /// </summary>
    public const int MaxParallelChecks = 8;

    /// <summary>The health gate units get unless their labels or config say otherwise.</summary>
    public HealthGateSettings DefaultHealth { get; init; } = new();

    /// <summary>What a pass does about a unit that runs an image update-agent did not verify (<c>on_unverified</c>).</summary>
    public UnverifiedAction OnUnverified { get; init; } = UnverifiedAction.Restore;

    /// <summary>How many of its last verified images each unit keeps locally (<c>keep_images</c>); older ones the agent replaced are removed after a commit.</summary>
    public int KeepImages { get; init; } = 3;

    /// <summary>How long finished history is kept (<c>history_days</c>); pruned at most once a day, after a pass.</summary>
    public TimeSpan HistoryRetention { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Per-unit <c>on_unverified</c>, by unit name.</summary>
    public IReadOnlyDictionary<string, UnverifiedAction> UnitOnUnverified { get; init; } = new Dictionary<string, UnverifiedAction>(StringComparer.Ordinal);

    /// <summary>The health gate configured for <paramref name="unit"/>: its own, or the default (labels are applied on top by the engine).</summary>
    public HealthGateSettings HealthFor(string unit) => UnitHealth.TryGetValue(unit, out var configured) ? configured : DefaultHealth;

    /// <summary>What to do when <paramref name="unit"/> runs an image that was not verified: its own setting, or the global one.</summary>
    public UnverifiedAction OnUnverifiedFor(string unit) => UnitOnUnverified.TryGetValue(unit, out var action) ? action : OnUnverified;

    /// <summary>Per-unit health gates from configuration, by unit name; labels override them.</summary>
    public IReadOnlyDictionary<string, HealthGateSettings> UnitHealth { get; init; } = new Dictionary<string, HealthGateSettings>(StringComparer.Ordinal);
}
