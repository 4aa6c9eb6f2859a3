using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// The one place a unit's plan is built — for a pass, for recovery of an interrupted update and
/// for an operator's rollback — so all three judge health the same way: the configured gate with
/// the unit's container labels on top.
/// </summary>
/// <param name="options">The configured gates and actions.</param>
public sealed class UnitPlanner(EngineOptions options)
{
    /// <summary>
    /// The plan of a discovered unit in a pass: what it runs now, what its tag names now
    /// (<paramref name="candidate"/>, or <paramref name="candidateError"/>). Bad health labels are
    /// listed in <paramref name="labelErrors"/>; a pass refuses to update such a unit. For a unit that
    /// runs several images, <paramref name="unit"/> is one image's part with the containers of the
    /// whole unit (<see cref="UnitKey.WithWholeUnit"/>) and <paramref name="key"/> names that part.
    /// </summary>
    public UnitPlan ForPass(string key, ManagedUnit unit, string? candidate, string? candidateError, string? candidateImageId, bool dryRun, out List<string> labelErrors)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var image = ImageReference.Parse(unit.ImageReference);
        var running = unit.RepoDigests
            .Select(d => d.Split('@', 2))
            .Where(parts => parts.Length == 2 && image.IsSameRepository(parts[0]))
            .Select(parts => parts[1])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        labelErrors = [];
        return new UnitPlan(key, unit.Policy, unit.ImageReference, image, unit.Containers.Select(c => c.Name).ToList(),
            unit.ImageId, running, candidate, candidateError, Health(unit.UnitName, unit, labelErrors), dryRun)
        {
            OnUnverified = options.OnUnverifiedFor(unit.UnitName),
            CandidateImageId = candidateImageId,
        };
    }

    /// <summary>
    /// The plan of an update already recorded (recovery, operator rollback): what ran before is the
    /// record's, the candidate is the record's; the health gate comes from the unit's labels when
    /// its containers still run (a label that cannot be read is left out: undoing must not wait on it).
    /// </summary>
    public UnitPlan ForRecord(UpdateRecord record, ManagedUnit? unit)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new UnitPlan(record.Unit, unit?.Policy ?? AutoUpdatePolicy.Registry, record.Image, ImageReference.Parse(record.Image),
            unit?.Containers.Select(c => c.Name).ToList() ?? [], record.PreviousImageId,
            record.FromDigest.Length > 0 ? [record.FromDigest] : [], record.ToDigest, null,
            Health(UnitKey.ServiceOf(record.Unit), unit, []), DryRun: false)
        {
            OnUnverified = options.OnUnverifiedFor(UnitKey.ServiceOf(record.Unit)),
        };
    }

    private Health.HealthGateSettings Health(string unitName, ManagedUnit? unit, ICollection<string> labelErrors)
    {
        var configured = options.HealthFor(unitName);
        if (unit is null)
        {
            return configured;
        }
        var labels = unit.Containers.SelectMany(c => c.AutoUpdateLabels).GroupBy(l => l.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        return configured.WithLabels(labels, labelErrors);
    }
}
