using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// The name under which the history, the ledger, holds, quarantines and reports keep what one image
/// of a unit runs. A unit whose containers run one image is its own name, as it always was. A unit
/// whose containers run several (a pod with an app and a sidecar, a kube unit) has one part per
/// image, named <c>UNIT/IMAGE</c>: each image has its own verified digest, candidate and rollback,
/// while the unit restarts once for all of them. systemd unit names never contain <c>/</c>, so the
/// unit is always the text before the first one.
/// </summary>
public static class UnitKey
{
    /// <summary>The key of <paramref name="imageReference"/> in <paramref name="unit"/>, which runs several images or not.</summary>
    public static string For(string unit, string imageReference, bool severalImages) =>
        severalImages ? $"{unit}/{imageReference}" : unit;

    /// <summary>The systemd unit a key names.</summary>
    public static string ServiceOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? key : key[..slash];
    }

    /// <summary>Each discovered unit (one per image of a unit) with its key.</summary>
    public static IReadOnlyList<(string Key, ManagedUnit Unit)> Of(IReadOnlyList<ManagedUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var images = units.GroupBy(u => u.UnitName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return units.Select(u => (For(u.UnitName, u.ImageReference, images[u.UnitName] > 1), u)).ToList();
    }

    /// <summary>
    /// The discovered part <paramref name="key"/> names, with the containers of its whole unit: they
    /// restart together, so the health gate and a rollback judge all of them. Null when it does not run.
    /// </summary>
    public static ManagedUnit? Find(string key, IReadOnlyList<ManagedUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var part = Of(units).FirstOrDefault(k => k.Key == key).Unit;
        return part is null ? null : WithWholeUnit(part, units);
    }

    /// <summary><paramref name="part"/> with the containers of every part of its unit.</summary>
    public static ManagedUnit WithWholeUnit(ManagedUnit part, IReadOnlyList<ManagedUnit> units)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(units);
        var siblings = units.Where(u => u.UnitName == part.UnitName).ToList();
        return siblings.Count <= 1 ? part : part with { Containers = siblings.SelectMany(u => u.Containers).ToList() };
    }
}
