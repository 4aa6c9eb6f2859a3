using System.Globalization;
using UpdateAgent.Testing;

namespace UpdateAgent.Bench;

internal static partial class EnginePass
{
    /// <summary>
    /// The changed series: before each measured pass, the first <c>--changed</c> images get a new
    /// digest under the same tag (a newer version label, same source), signed by <c>ci</c> and blessed
    /// by <c>gate</c>; both tools then move those images' units. podman auto-update moves them without
    /// verifying anything: that is the comparison. After each podman pass, an unmeasured agent pass
    /// records the digests podman moved to (they are signed, so the agent adopts them), so every
    /// measured agent pass starts where a host that only ever ran the agent would be: each unit on a
    /// verified digest, a few tags moved.
    /// </summary>
    private static async Task ChangedSeriesAsync(Options o, DelayProxy proxy, string work, string config, IReadOnlyList<string> repositories)
    {
        var moved = Enumerable.Range(0, o.Units).Where(u => u % o.Images < o.Changed)
            .Select(u => $"bench-engine-{u + 1:00}.service").ToHashSet(StringComparer.Ordinal);
        var generation = 0;
        async Task BumpAsync()
        {
            generation++;
            var images = new List<string>();
            for (var i = 0; i < o.Changed; i++)
            {
                var direct = $"{o.Registry}/bench/img{i + 1}:latest";
                var pushed = await ProcessRunner.RunAsync(Path.Combine(o.Testbed, "image.sh"),
                    [direct, "--label", $"org.opencontainers.image.source={Source}", "--label", $"org.opencontainers.image.version=1.{generation}.{i + 1}"],
                    TimeSpan.FromMinutes(3));
                images.Add($"{repositories[i]}@{pushed.EnsureSuccess("image.sh " + direct).StandardOutput.Trim()}");
            }
            await SignAsync(work, images);
        }

        Console.WriteLine();
        Console.WriteLine($"changed series: {o.Changed} of {o.Images} images get a new signed and blessed digest before each pass; {moved.Count} of {o.Units} units move");
        // Unmeasured first round: the first pull of a new digest and the first restart warm both tools' paths.
        await BumpAsync();
        var warmAgent = await AgentPassAsync(o, proxy, config, moved);
        await BumpAsync();
        var warmPodman = await PodmanPassAsync(o, proxy, moved);
        await AgentPassAsync(o, proxy, config, anyStatus: true);
        Console.WriteLine($"warm-up: update-agent {warmAgent.WallSeconds:0.000} s / {warmAgent.Seen.Requests} requests, podman auto-update {warmPodman.WallSeconds:0.000} s / {warmPodman.Seen.Requests} requests (not counted)");

        var runs = new List<Run>();
        var adoptions = new List<Run>();
        for (var r = 0; r < o.ChangedRuns; r++)
        {
            await BumpAsync();
            runs.Add(await AgentPassAsync(o, proxy, config, moved));
            await BumpAsync();
            runs.Add(await PodmanPassAsync(o, proxy, moved));
            adoptions.Add(await AgentPassAsync(o, proxy, config, anyStatus: true));
        }
        Report(o, proxy, string.Create(CultureInfo.InvariantCulture,
            $"Pass with {o.Changed} of {o.Images} images changed ({moved.Count} of {o.Units} units move, restarted one at a time by both tools)"), runs, null);
        Console.WriteLine($"  (unmeasured agent passes after podman's, adopting the digests podman moved to: median {Median(adoptions.Select(a => a.WallSeconds)):0.000} s, {Median(adoptions.Select(a => (double)a.Seen.Requests)):0} requests)");
    }
}
