using UpdateAgent.Podman.Libpod;

namespace UpdateAgent.Podman.Discovery;

/// <summary>
/// Reads the labels of running containers the way <c>podman auto-update</c> does and groups the
/// participating ones by systemd unit. Pure: every problem is returned, none is thrown.
/// </summary>
internal static class UnitGrouping
{
    public const string PolicyLabel = "io.containers.autoupdate";
    public const string SettingLabelPrefix = PolicyLabel + ".";
    public const string UnitLabel = "PODMAN_SYSTEMD_UNIT";

    public static (IReadOnlyDictionary<string, List<Candidate>> Units, List<DiscoveryProblem> Problems) Group(IReadOnlyList<LibpodContainer> running)
    {
        var problems = new List<DiscoveryProblem>();
        var units = new SortedDictionary<string, List<Candidate>>(StringComparer.Ordinal);
        // A pod's containers are restarted through the unit of its infra container, as podman 5's
        // auto-update does (systemdUnitForContainer): in a Quadlet pod each .container has a unit of
        // its own, but restarting it alone would leave the pod half old, half new.
        var podUnits = running
            .Where(c => c.IsInfra && !string.IsNullOrEmpty(c.Pod) && !string.IsNullOrWhiteSpace(c.Label(UnitLabel)))
            .GroupBy(c => c.Pod!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Label(UnitLabel)!.Trim(), StringComparer.Ordinal);

        foreach (var container in running.Where(c => !c.IsInfra && IsRunning(c)))
        {
            var policyText = container.Label(PolicyLabel);
            if (!TryReadPolicy(policyText, out var policy))
            {
                problems.Add(new DiscoveryProblem(container.DisplayName, container.Label(UnitLabel),
                    $"unknown {PolicyLabel} policy '{policyText}' (expected registry, image, local or disabled)"));
                continue;
            }
            if (policy is null)
            {
                continue;
            }
            // A pod whose infra container has no unit (created by hand, outside systemd) leaves the
            // container's own unit as the only one that can restart it.
            var unit = !string.IsNullOrEmpty(container.Pod) && podUnits.TryGetValue(container.Pod, out var podUnit)
                ? podUnit
                : container.Label(UnitLabel)?.Trim();
            if (string.IsNullOrEmpty(unit))
            {
                problems.Add(new DiscoveryProblem(container.DisplayName, null,
                    $"has {PolicyLabel}={policyText} but no {UnitLabel} label, so no systemd unit can restart it " +
                    "(run it from a unit with Environment=PODMAN_SYSTEMD_UNIT=%n, as Quadlet does)"));
                continue;
            }
            if (!units.TryGetValue(unit, out var members))
            {
                units[unit] = members = [];
            }
            members.Add(new Candidate(container, policy.Value, unit));
        }
        return (units, problems);
    }

    /// <summary>The labels that carry per-container update settings (<c>io.containers.autoupdate.*</c>).</summary>
    public static IReadOnlyDictionary<string, string> SettingLabels(IReadOnlyDictionary<string, string>? labels) =>
        (labels ?? new Dictionary<string, string>())
            .Where(label => label.Key.StartsWith(SettingLabelPrefix, StringComparison.Ordinal))
            .ToDictionary(label => label.Key, label => label.Value, StringComparer.Ordinal);

    private static bool IsRunning(LibpodContainer container) =>
        string.Equals(container.State, "running", StringComparison.OrdinalIgnoreCase);

    /// <summary>False for a value podman does not know; true with <see langword="null"/> for an absent or disabled policy.</summary>
    private static bool TryReadPolicy(string? text, out AutoUpdatePolicy? policy)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case null or "" or "DISABLED":
                policy = null;
                return true;
            case "REGISTRY" or "IMAGE":
                policy = AutoUpdatePolicy.Registry;
                return true;
            case "LOCAL":
                policy = AutoUpdatePolicy.Local;
                return true;
            default:
                policy = null;
                return false;
        }
    }
}
