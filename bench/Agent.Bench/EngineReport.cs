using UpdateAgent.Testing;

namespace UpdateAgent.Bench;

internal static partial class EnginePass
{
    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Rss(IEnumerable<Run> set)
    {
        var peaks = set.Where(r => r.PeakRssKb is not null).Select(r => r.PeakRssKb!.Value / 1024.0).ToList();
        return peaks.Count == 0 ? "not measured (no GNU time)" : $"{peaks.Max():0.0} MB";
    }

    /// <summary>Prints one series: the interleaved runs of both tools, then (when given) the agent's back-to-back runs.</summary>
    private static void Report(Options o, DelayProxy proxy, string title, List<Run> runs, List<Run>? backToBack)
    {
        var ours = runs.Where(r => r.Tool.StartsWith("update-agent", StringComparison.Ordinal)).ToList();
        var podman = runs.Where(r => r.Tool.StartsWith("podman", StringComparison.Ordinal)).ToList();

        Console.WriteLine();
        Console.WriteLine($"{title}, registry behind a {proxy.RoundTrip.TotalMilliseconds:0} ms round trip, {ours.Count} measured passes each, interleaved.");
        Console.WriteLine($"Delay: each HTTP request's response is held {proxy.RoundTrip.TotalMilliseconds:0} ms before its first byte is passed on (one round trip), and each new TCP");
        Console.WriteLine($"connection's first bytes {proxy.Handshake.TotalMilliseconds:0} ms before they are passed on (the TCP handshake); no bandwidth limit, plain HTTP (no TLS to set up).");
        var build = File.Exists(Path.ChangeExtension(o.Agent, ".dll")) ? "a JIT build on the .NET runtime" : "Native AOT";
        Console.WriteLine($"Wall time: the command as an operator runs it, process start to exit (update-agent: {o.Agent}, {build}; podman: through nsenter into the guest).");
        Console.WriteLine("CPU: user + system time of the command's own processes. The work update-agent asks of the guest's Podman API service (podman system service,");
        Console.WriteLine("socket-activated) is not in it; podman auto-update does that work in its own process, so it is in podman's.");
        Console.WriteLine("Peak RSS: the largest ru_maxrss GNU time reported over the passes (update-agent's own process; podman auto-update's, under nsenter).");
        Console.WriteLine();
        Console.WriteLine("| | wall time, median (min–max) | CPU, median | peak RSS | requests per pass | connections per pass | own count |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, set) in new[] { ("update-agent check", ours), ("podman auto-update", podman) })
        {
            Console.WriteLine(Row(name, set));
        }
        if (backToBack is { Count: > 0 })
        {
            Console.WriteLine(Row("update-agent check, back to back (Podman API service still up)", backToBack));
        }
        var ratio = Median(ours.Select(r => r.WallSeconds)) / Median(podman.Select(r => r.WallSeconds));
        var ourRequests = Median(ours.Select(r => (double)r.Seen.Requests));
        var podmanRequests = Median(podman.Select(r => (double)r.Seen.Requests));
        Console.WriteLine();
        Console.WriteLine($"ratio, wall time : {ratio:0.000}x podman auto-update (goal for a no-op pass <= 0.1x at 20 units, <= 0.05x at 500)");
        Console.WriteLine($"ratio, requests  : {ourRequests / podmanRequests:0.000}x; update-agent {ourRequests / o.Images:0.00} per distinct image (goal for a no-op pass <= 1), podman {podmanRequests / o.Images:0.00}");
        Console.WriteLine();
        foreach (var (name, set) in new[] { ("update-agent check", ours), ("podman auto-update", podman) })
        {
            var kinds = set[^1].Seen.ByKind.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value} {p.Key}");
            Console.WriteLine($"{name}, requests of the last pass: {string.Join(", ", kinds)}");
        }
        Console.WriteLine();
        foreach (var run in runs.Concat(backToBack ?? []))
        {
            Console.WriteLine($"  {run.Tool,-20} {run.WallSeconds,7:0.000} s wall {run.CpuSeconds,7:0.000} s CPU {run.PeakRssKb / 1024.0,6:0.0} MB peak RSS {run.Seen.Requests,4} requests {run.Seen.Connections,4} connections{(run.OwnCount is { } n ? $"  (own count {n}, pass {run.OwnSeconds:0.000} s)" : "")}");
        }
    }

    private static string Row(string name, List<Run> set)
    {
        var requests = string.Join("/", set.Select(r => r.Seen.Requests).Distinct());
        var connections = string.Join("/", set.Select(r => r.Seen.Connections).Distinct());
        var own = set[0].OwnCount is null ? "–" : $"registry_requests {string.Join("/", set.Select(r => r.OwnCount).Distinct())}, pass {Median(set.Select(r => r.OwnSeconds!.Value)):0.000} s";
        return $"| {name} | {Median(set.Select(r => r.WallSeconds)):0.000} s ({set.Min(r => r.WallSeconds):0.000}–{set.Max(r => r.WallSeconds):0.000}) | {Median(set.Select(r => r.CpuSeconds)):0.000} s | {Rss(set)} | {requests} | {connections} | {own} |";
    }
}
