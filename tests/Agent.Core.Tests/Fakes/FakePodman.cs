using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Tests.Fakes;

/// <summary>Podman as a dictionary of tags and a list of calls; running units follow their tag on restart.</summary>
internal sealed class FakePodman : IContainerHost
{
    public List<string> Calls { get; } = [];
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal); // repo:tag → image id
    public Dictionary<string, string> ImageDigests { get; } = new(StringComparer.Ordinal); // image id → repo@digest
    public Dictionary<string, (string Reference, string ImageId)> Units { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> UnitLabels { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, AutoUpdatePolicy> Policies { get; } = new(StringComparer.Ordinal);
    public HashSet<string> FailPullsOf { get; } = new(StringComparer.Ordinal);
    public HealthStatus Health { get; set; } = HealthStatus.None;
    public List<DiscoveryProblem> Problems { get; } = [];

    public void AddUnit(string unit, string reference, string imageId, string digest)
    {
        Units[unit] = (reference, imageId);
        Tags[reference] = imageId;
        ImageDigests[imageId] = $"{Repo(reference)}@{digest}";
    }

    public static string Repo(string reference) => reference[..reference.LastIndexOf(':')];

    /// <summary>The other images a unit's containers run (a pod's sidecar), by unit: reference → image id.</summary>
    public Dictionary<string, Dictionary<string, string>> Sidecars { get; } = new(StringComparer.Ordinal);

    /// <summary>Gives <paramref name="unit"/> a second container, on <paramref name="reference"/>.</summary>
    public void AddSidecar(string unit, string reference, string imageId, string digest)
    {
        (Sidecars.TryGetValue(unit, out var images) ? images : Sidecars[unit] = new(StringComparer.Ordinal))[reference] = imageId;
        Tags[reference] = imageId;
        ImageDigests[imageId] = $"{Repo(reference)}@{digest}";
    }

    /// <summary>Every image a unit's containers run.</summary>
    public IEnumerable<string> ImagesOf(string unit) =>
        (Units.TryGetValue(unit, out var main) ? [main.ImageId] : Array.Empty<string>())
            .Concat(Sidecars.TryGetValue(unit, out var side) ? side.Values : []);

    /// <summary>Units whose container is gone (a failed start with --rm), by unit: their reference.</summary>
    public Dictionary<string, string> Gone { get; } = new(StringComparer.Ordinal);

    /// <summary>What a start refused by the guard leaves: no container.</summary>
    public void ContainerGone(string unit)
    {
        Gone[unit] = Units[unit].Reference;
        Units.Remove(unit);
    }

    /// <summary>What systemd's restart does to a podman unit: it runs whatever its reference names now.</summary>
    public void Restarted(string unit)
    {
        var reference = Units.TryGetValue(unit, out var running) ? running.Reference : Gone[unit];
        Gone.Remove(unit);
        Units[unit] = (reference, Tags[reference]);
        if (Sidecars.TryGetValue(unit, out var side))
        {
            foreach (var sideReference in side.Keys.ToList())
            {
                side[sideReference] = Tags[sideReference];
            }
        }
    }

    public Task<DiscoveryResult> DiscoverUnitsAsync(CancellationToken cancellationToken)
    {
        Calls.Add("discover");
        var units = Units.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => new ManagedUnit(
            u.Key, Policies.GetValueOrDefault(u.Key, AutoUpdatePolicy.Registry), u.Value.Reference, u.Value.ImageId,
            ImageDigests.TryGetValue(u.Value.ImageId, out var d) ? [d] : [],
            [new ManagedContainer("c-" + u.Key, u.Key.Replace(".service", "", StringComparison.Ordinal),
                UnitLabels.Count > 0 ? UnitLabels : new Dictionary<string, string>())])).ToList();
        foreach (var (unit, side) in Sidecars.Where(s => Units.ContainsKey(s.Key)))
        {
            units.AddRange(side.Select(s => new ManagedUnit(unit, AutoUpdatePolicy.Registry, s.Key, s.Value,
                ImageDigests.TryGetValue(s.Value, out var d) ? [d] : [], [new ManagedContainer("c-side-" + s.Value, "side-" + unit, new Dictionary<string, string>())])));
        }
        return Task.FromResult(new DiscoveryResult(units, Problems));
    }

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) => Task.FromResult(ImageDigests.ContainsKey(image));

    public Task<ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        Task.FromResult(new ImageDetails(image, Tags.Where(t => t.Value == image).Select(t => t.Key).ToList(), DateTimeOffset.UnixEpoch, new Dictionary<string, string>()));

    public Task<PulledImage> PullByDigestAsync(string digestReference, CancellationToken cancellationToken)
    {
        Calls.Add("pull " + digestReference);
        if (FailPullsOf.Contains(digestReference))
        {
            throw new ContainerHostException($"pull of {digestReference} failed: manifest unknown");
        }
        var id = "img-" + digestReference.Split('@')[1];
        ImageDigests[id] = digestReference;
        return Task.FromResult(new PulledImage(digestReference, id));
    }

    public Task TagImageAsync(string image, string targetTag, CancellationToken cancellationToken)
    {
        Calls.Add($"tag {image} {targetTag}");
        Tags[targetTag] = image;
        return Task.CompletedTask;
    }

    public Task UntagImageAsync(string image, string targetTag, CancellationToken cancellationToken)
    {
        Calls.Add($"untag {image} {targetTag}");
        Tags.Remove(targetTag);
        return Task.CompletedTask;
    }

    public Task<bool> RemoveImageAsync(string imageId, CancellationToken cancellationToken)
    {
        if (Units.Values.Any(u => u.ImageId == imageId) || Sidecars.Values.Any(s => s.ContainsValue(imageId)) || !ImageDigests.Remove(imageId))
        {
            return Task.FromResult(false);
        }
        Calls.Add("remove " + imageId);
        return Task.FromResult(true);
    }

    public Task<LocalTag?> ReadLocalTagAsync(string tag, CancellationToken cancellationToken) =>
        Task.FromResult(Tags.TryGetValue(tag, out var id)
            ? new LocalTag(tag, id, ImageDigests.TryGetValue(id, out var d) ? [d.Split('@')[1]] : [])
            : null);

    public Task<ContainerState> InspectContainerAsync(string container, CancellationToken cancellationToken) =>
        Task.FromResult(new ContainerState(container, true, Health));

    /// <summary>How many more health checks find the container not running yet (a foreground unit still creating it).</summary>
    public int NotRunningChecks { get; set; }

    public Task<HealthCheckRun> RunHealthCheckAsync(string container, CancellationToken cancellationToken) =>
        Task.FromResult(NotRunningChecks-- > 0
            ? new HealthCheckRun(container, HealthCheckOutcome.NotRunning, HealthStatus.None, "no such container")
            : Health == HealthStatus.None
            ? new HealthCheckRun(container, HealthCheckOutcome.NotDefined, HealthStatus.None, null)
            : new HealthCheckRun(container, HealthCheckOutcome.Ran, Health, null));

    public Task<ExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        Task.FromResult(new ExecResult(command[0] == "true" ? 0 : 1, "", false));
}
