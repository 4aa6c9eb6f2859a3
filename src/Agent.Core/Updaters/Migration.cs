using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Updaters;

/// <summary>
/// Says, for every unit <c>podman auto-update</c> would manage (the same discovery: running
/// containers labelled <c>io.containers.autoupdate</c>, grouped by <c>PODMAN_SYSTEMD_UNIT</c>),
/// what update-agent will do with it once it replaces the timer. Pure: the caller hands in what
/// discovery found, which units pull on start, and which trust-policy rule covers an image.
/// </summary>
public static class Migration
{
    /// <summary>The fix for a unit that pulls its tag on every start.</summary>
    public const string PullOnStartFix = "set Pull=missing (Quadlet) or --pull=missing on the podman run line, then systemctl daemon-reload";

    /// <summary>
    /// One entry per unit and per container discovery could not take in. <paramref name="ruleFor"/>
    /// names the rule (its repository pattern) covering an image, or null; <paramref name="pullOnStart"/>
    /// maps a unit to why it pulls on start; <paramref name="user"/> is null for the system's units,
    /// else the rootless user whose units these are; <paramref name="policyPath"/> is where rules go.
    /// </summary>
    public static IReadOnlyList<MigrationEntry> Classify(
        DiscoveryResult found, Func<ImageReference, string?> ruleFor, IReadOnlyDictionary<string, string> pullOnStart, string? user, string policyPath)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(ruleFor);
        ArgumentNullException.ThrowIfNull(pullOnStart);
        var entries = new List<MigrationEntry>();
        foreach (var (key, unit) in Engine.UnitKey.Of(found.Units))
        {
            var containers = string.Join(",", unit.Containers.Select(c => c.Name));
            var name = Name(user, key);
            if (user is not null)
            {
                entries.Add(new MigrationEntry(name, unit.ImageReference, containers, MigrationVerdict.NotManaged,
                    $"a rootless unit of {user}: the system daemon does not manage it; {user}'s user instance (update-agent --user) does, with this policy; while {user}'s {AutoUpdateTimer.Unit} is enabled, podman auto-update keeps moving it unverified",
                    $"enable the user instance for {user} (systemctl --user -M {user}@ enable --now update-agent.service, or for every user: systemctl --global enable update-agent.service) and turn the timer off ({AutoUpdateTimer.UserFix(user)})"));
                continue;
            }
            entries.Add(Judge(unit, name, containers, ruleFor, pullOnStart, policyPath));
        }
        foreach (var problem in found.Problems)
        {
            var unit = problem.UnitName is { Length: > 0 } u ? Name(user, u) : Name(user, problem.Subject);
            entries.Add(new MigrationEntry(unit, "", problem.Subject, user is null ? MigrationVerdict.Unmanageable : MigrationVerdict.NotManaged, problem.Message, ProblemFix(problem)));
        }
        return entries;
    }

    private static MigrationEntry Judge(ManagedUnit unit, string name, string containers, Func<ImageReference, string?> ruleFor, IReadOnlyDictionary<string, string> pullOnStart, string policyPath)
    {
        MigrationEntry Entry(MigrationVerdict verdict, string reason, string fix) => new(name, unit.ImageReference, containers, verdict, reason, fix);

        if (pullOnStart.TryGetValue(unit.UnitName, out var pulls))
        {
            return Entry(MigrationVerdict.Unmanageable, pulls, PullOnStartFix);
        }
        if (!ImageReference.TryParse(unit.ImageReference, out var image, out var error))
        {
            return Entry(MigrationVerdict.Unmanageable, $"'{unit.ImageReference}' is not a fully qualified image reference ({error}), so no registry can be asked about it",
                "create the container from registry/repository:tag");
        }
        if (unit.Policy == AutoUpdatePolicy.Local && unit.RepoDigests.Count == 0)
        {
            return Entry(MigrationVerdict.Unmanageable, $"the local image {unit.ImageReference} has no registry digest, so no signature can be checked against it; it stays on what it runs",
                $"push the image to a registry and run {image.Name} from there, or set io.containers.autoupdate=disabled if nobody updates it");
        }
        if (ruleFor(image) is { } rule)
        {
            return Entry(MigrationVerdict.Managed, $"the [[image]] rule '{rule}' covers {image.Name}: only digests it accepts will run", "");
        }
        return Entry(MigrationVerdict.NeedsRule,
            $"no [[image]] rule covers {image.Name}: it stays on what it runs and each check reports it refused (no-policy)",
            $"add to {policyPath}: [[image]] repository = \"{image.Name}\" with signed_by naming the key or identity that signs it");
    }

    private static string ProblemFix(DiscoveryProblem problem) =>
        problem.UnitName is null
            ? "run the container from a systemd unit with Environment=PODMAN_SYSTEMD_UNIT=%n (or use Quadlet), or set io.containers.autoupdate=disabled"
            : "see the reason; until it is fixed the unit stays on what it runs and each check reports it";

    private static string Name(string? user, string unit) => user is null ? unit : $"user:{user}:{unit}";
}
