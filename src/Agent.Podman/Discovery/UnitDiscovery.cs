using System.Collections.Concurrent;
using Docker.DotNet.Models;
using UpdateAgent.Podman.Transport;

namespace UpdateAgent.Podman.Discovery;

/// <summary>
/// Turns the grouped candidates into <see cref="ManagedUnit"/>s: inspects each container for the
/// reference it was created from, and each distinct image for its digests. A failure leaves out the
/// one unit it concerns, with a problem saying why.
/// </summary>
internal sealed class UnitDiscovery(PodmanConnection connection)
{
    /// <summary>
    /// How many inspections run at once. Each is a round trip to the Podman service; one after
    /// another they would make a pass over many units slow for no gain.
    /// </summary>
    internal const int MaxParallelInspections = 4;

    public async Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken)
    {
        var options = connection.Options;
        var running = await connection.Policy.RunAsync("list containers on", options.SocketPath, options.RequestTimeout,
            token => connection.Libpod.ListRunningContainersAsync(token), cancellationToken).ConfigureAwait(false);
        var (groups, problems) = UnitGrouping.Group(running);
        var ordered = groups.ToList();
        var outcomes = new (List<ManagedUnit>? Parts, DiscoveryProblem? Problem)[ordered.Count];
        // A failed inspection stays cached too, so every unit on that image reports the same reason.
        var images = new ConcurrentDictionary<string, Lazy<Task<ImageInspectResponse>>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(Enumerable.Range(0, ordered.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelInspections, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var (unitName, candidates) = ordered[index];
                try
                {
                    outcomes[index] = (await DescribeUnitAsync(unitName, candidates, images, token).ConfigureAwait(false), null);
                }
                catch (PodmanException failure)
                {
                    outcomes[index] = (null, new DiscoveryProblem(unitName, unitName, $"left out this pass: {failure.Message}"));
                }
                catch (UnitMismatchException mismatch)
                {
                    outcomes[index] = (null, new DiscoveryProblem(unitName, unitName, mismatch.Message, mismatch.Kind, mismatch.Image));
                }
            }).ConfigureAwait(false);

        var units = new List<ManagedUnit>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (outcomes[i].Parts is { } parts)
            {
                units.AddRange(parts);
            }
            else
            {
                problems.Add(outcomes[i].Problem!);
            }
        }
        return new DiscoveryResult(units, problems);
    }

    /// <summary>
    /// The unit as one <see cref="ManagedUnit"/> per image reference its containers run: a pod with an
    /// app and a sidecar is two, each verified on its own and moved together by the engine.
    /// </summary>
    private async Task<List<ManagedUnit>> DescribeUnitAsync(
        string unitName, List<Candidate> candidates, ConcurrentDictionary<string, Lazy<Task<ImageInspectResponse>>> images, CancellationToken cancellationToken)
    {
        var containers = new List<ManagedContainer>();
        foreach (var candidate in candidates)
        {
            containers.Add(await DescribeContainerAsync(candidate, cancellationToken).ConfigureAwait(false));
        }
        containers.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var parts = new List<ManagedUnit>();
        foreach (var part in containers.GroupBy(c => c.ImageReference, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = part.ToList();
            RequireSame(unitName, members, c => c.Policy.ToString(), $"policies for {part.Key}");
            RequireSame(unitName, members, c => c.ImageId, $"images for {part.Key}");
            var first = members[0];
            // The inspection is not tied to one unit's token: others may be waiting on the same task.
            var image = await images.GetOrAdd(first.ImageId, id => new Lazy<Task<ImageInspectResponse>>(() =>
                connection.Policy.RunAsync("inspect image", id, connection.Options.RequestTimeout,
                    token => connection.Docker.Images.InspectImageAsync(id, token), CancellationToken.None))).Value
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            parts.Add(new ManagedUnit(unitName, first.Policy, first.ImageReference, first.ImageId, [.. image.RepoDigests ?? []], members));
        }
        return parts;
    }

    private async Task<ManagedContainer> DescribeContainerAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        var listed = candidate.Listed;
        var inspected = await connection.Policy.RunAsync("inspect container", listed.DisplayName, connection.Options.RequestTimeout,
            token => connection.Docker.Containers.InspectContainerAsync(listed.Id, token), cancellationToken).ConfigureAwait(false);
        var reference = inspected.Config?.Image;
        if (string.IsNullOrEmpty(reference))
        {
            throw new UnitMismatchException($"container {listed.DisplayName} does not say which image reference it was created from");
        }
        var pod = string.IsNullOrEmpty(listed.PodName) ? null : listed.PodName;
        return new ManagedContainer(listed.Id, listed.DisplayName, candidate.Policy, reference,
            ImageIds.Normalize(inspected.Image ?? listed.ImageId ?? ""), pod,
            UnitGrouping.SettingLabels(inspected.Config?.Labels is { } labels ? labels.AsReadOnly() : listed.Labels));
    }

    /// <summary>One restart moves every container of a unit, so they must agree on what is being updated.</summary>
    private static void RequireSame(string unitName, List<ManagedContainer> containers, Func<ManagedContainer, string> value, string what)
    {
        var distinct = containers.Select(value).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 1)
        {
            var detail = string.Join(", ", containers.Select(c => $"{c.Name}: {value(c)}"));
            throw new UnitMismatchException($"the containers of {unitName} differ in their {what} ({detail}); a unit is updated as one");
        }
    }
}
