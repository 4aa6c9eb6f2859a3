using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using UpdateAgent.Testing;

namespace UpdateAgent.Bench;

/// <summary>
/// A no-op pass (every unit already runs the digest its tag names) over many units on a few
/// images, with the registry behind <see cref="DelayProxy"/>: <c>update-agent check</c> next to
/// <c>podman auto-update</c>, both run as the commands an operator would type, on the same
/// testbed, interleaved, with requests counted by the same proxy.
/// </summary>
internal static class EnginePass
{
    private const string Source = "https://github.com/acme/bench";

    private sealed record Options(
        int GuestPid, string Registry, string Listen, string Agent, string Testbed,
        int Units, int Images, int Runs, int DelayMs, int HandshakeMs);

    private sealed record Run(string Tool, double WallSeconds, double CpuSeconds, DelayProxy.Counts Seen, long? OwnCount, double? OwnSeconds);

    // User + system CPU time of every waited-for child process of this one (and of their children), so far.
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, [System.Runtime.InteropServices.Out] long[] usage);

    private static double ChildrenCpuSeconds()
    {
        var usage = new long[18]; // struct rusage on 64-bit Linux: two timevals, then 14 longs
        if (getrusage(-1 /* RUSAGE_CHILDREN */, usage) != 0)
        {
            throw new InvalidOperationException("getrusage failed");
        }
        return usage[0] + (usage[1] / 1e6) + usage[2] + (usage[3] / 1e6);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var o))
        {
            Console.Error.WriteLine("usage: Agent.Bench engine --guest-pid PID --registry HOST:PORT --listen HOST:PORT --agent PATH --testbed DIR [--units 20] [--images 5] [--runs 5] [--delay-ms 40] [--handshake-ms DELAY]");
            return 2;
        }
        var work = Directory.CreateTempSubdirectory("update-agent-bench-engine-").FullName;
        try
        {
            await using var proxy = new DelayProxy(IPEndPoint.Parse(o.Listen), IPEndPoint.Parse(o.Registry), TimeSpan.FromMilliseconds(o.DelayMs), TimeSpan.FromMilliseconds(o.HandshakeMs));
            var repositories = Enumerable.Range(1, o.Images).Select(i => $"{o.Listen}/bench/img{i}").ToList();
            var setup = Stopwatch.StartNew();
            await PushAndSignAsync(o, work, repositories);
            var units = await StartUnitsAsync(o, repositories);
            var config = WriteConfig(o, work);
            Console.WriteLine($"setup: {o.Images} images pushed and signed (ci) and blessed (gate, stage=prod), {o.Units} units started, {setup.Elapsed.TotalSeconds:0.0} s");

            // One unmeasured pass each: the agent's first run creates its state database, podman's first run warms its caches.
            var warmAgent = await AgentPassAsync(o, proxy, config);
            var warmPodman = await PodmanPassAsync(o, proxy);
            Console.WriteLine($"warm-up: update-agent {warmAgent.WallSeconds:0.000} s / {warmAgent.Seen.Requests} requests, podman auto-update {warmPodman.WallSeconds:0.000} s / {warmPodman.Seen.Requests} requests (not counted)");

            var runs = new List<Run>();
            for (var i = 0; i < o.Runs; i++)
            {
                runs.Add(await AgentPassAsync(o, proxy, config));
                runs.Add(await PodmanPassAsync(o, proxy));
            }
            // Then the agent alone, back to back: Podman's socket-activated API service is still up from the pass before.
            var backToBack = new List<Run>();
            for (var i = 0; i < o.Runs; i++)
            {
                backToBack.Add(await AgentPassAsync(o, proxy, config));
            }
            Report(o, proxy, units.Count, runs, backToBack);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task PushAndSignAsync(Options o, string work, IReadOnlyList<string> repositories)
    {
        await CosignAsync(work, "generate-key-pair", "--output-key-prefix", Path.Combine(work, "ci"));
        await CosignAsync(work, "generate-key-pair", "--output-key-prefix", Path.Combine(work, "gate"));
        var digests = new List<string>();
        for (var i = 0; i < repositories.Count; i++)
        {
            // Pushed to the registry directly, then named through the proxy: the same registry behind it.
            var direct = $"{o.Registry}/bench/img{i + 1}:latest";
            var pushed = await ProcessRunner.RunAsync(Path.Combine(o.Testbed, "image.sh"),
                [direct, "--label", $"org.opencontainers.image.source={Source}", "--label", $"org.opencontainers.image.version=1.0.{i + 1}"],
                TimeSpan.FromMinutes(3));
            digests.Add(pushed.EnsureSuccess("image.sh " + direct).StandardOutput.Trim());
        }
        // Signed through the proxy, so each signature names the repository the units run.
        await Parallel.ForEachAsync(Enumerable.Range(0, repositories.Count), new ParallelOptions { MaxDegreeOfParallelism = 5 }, async (i, _) =>
        {
            var image = $"{repositories[i]}@{digests[i]}";
            await CosignAsync(work, "sign", "--key", Path.Combine(work, "ci.key"), "--tlog-upload=false", "--allow-insecure-registry", "-y", image);
            await CosignAsync(work, "sign", "--key", Path.Combine(work, "gate.key"), "--tlog-upload=false", "--allow-insecure-registry", "-y", "-a", "stage=prod", image);
        });
    }

    private static Task CosignAsync(string work, params string[] args) =>
        ProcessRunner.RunAsync("cosign", args, TimeSpan.FromMinutes(3),
                new Dictionary<string, string> { ["COSIGN_PASSWORD"] = string.Empty, ["COSIGN_YES"] = "true", ["HOME"] = work },
                standardInput: string.Empty)
            .ContinueWith(t => t.Result.EnsureSuccess("cosign " + string.Join(' ', args)), TaskScheduler.Default);

    private static async Task<List<string>> StartUnitsAsync(Options o, IReadOnlyList<string> repositories)
    {
        var units = new List<string>();
        for (var u = 0; u < o.Units; u++)
        {
            var name = $"bench-engine-{u + 1:00}";
            var image = repositories[u % repositories.Count] + ":latest";
            await File.WriteAllTextAsync($"/proc/{o.GuestPid}/root/etc/systemd/system/{name}.service", $"""
                [Unit]
                Description=bench container {name}

                [Service]
                Type=notify
                NotifyAccess=all
                Environment=PODMAN_SYSTEMD_UNIT=%n
                ExecStart=/usr/bin/podman run --replace --rm --cgroups=split --sdnotify=conmon -d --name {name} --network none --label io.containers.autoupdate=registry {image}
                ExecStop=/usr/bin/podman stop --ignore -t 2 {name}
                TimeoutStartSec=120
                """);
            units.Add(name + ".service");
        }
        (await InGuestAsync(o, "systemctl", "daemon-reload")).EnsureSuccess("systemctl daemon-reload");
        // A few at a time: 20 podman runs at once on a small machine only time out.
        foreach (var batch in units.Chunk(5))
        {
            (await InGuestAsync(o, ["systemctl", "start", .. batch])).EnsureSuccess("systemctl start " + string.Join(' ', batch));
        }
        (await InGuestAsync(o, ["systemctl", "is-active", .. units])).EnsureSuccess("systemctl is-active (every bench unit)");
        return units;
    }

    private static Task<ProcessResult> InGuestAsync(Options o, params string[] args) =>
        ProcessRunner.RunAsync("nsenter", ["-t", o.GuestPid.ToString(CultureInfo.InvariantCulture), "-a", .. args], TimeSpan.FromMinutes(5));

    private static string WriteConfig(Options o, string work)
    {
        var policy = Path.Combine(work, "policy.toml");
        File.WriteAllText(policy, $"""
            [registries]
            insecure = ["{o.Listen}"]
            timeout_seconds = 20

            [authorities.ci]
            key = "ci.pub"
            [authorities.gate]
            key = "gate.pub"

            [[image]]
            repository = "{o.Listen}/bench/*"
            signed_by = ["ci"]
            blessed_by = "gate"
            bless = {"{"} stage = "prod" {"}"}
            source = "{Source}"
            """);
        var config = Path.Combine(work, "agent.toml");
        var root = $"/proc/{o.GuestPid}/root";
        File.WriteAllText(config, $"""
            [agent]
            policy = "{policy}"
            state_directory = "{Path.Combine(work, "state")}"
            podman_socket = "{root}/run/podman/podman.sock"
            dbus_address = "unix:path={root}/run/dbus/system_bus_socket"
            restart_timeout = "90s"
            """);
        return config;
    }

    private static async Task<Run> AgentPassAsync(Options o, DelayProxy proxy, string config)
    {
        var before = proxy.Snapshot();
        var cpu = ChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(o.Agent, ["check", "--config", config, "--json"], TimeSpan.FromMinutes(3));
        var wall = watch.Elapsed.TotalSeconds;
        cpu = ChildrenCpuSeconds() - cpu;
        var seen = proxy.Snapshot().Minus(before);
        result.EnsureSuccess("update-agent check");
        using var report = JsonDocument.Parse(result.StandardOutput);
        var root = report.RootElement;
        var notNoOp = root.GetProperty("units").EnumerateArray()
            .Where(u => u.GetProperty("status").GetString() != "up to date")
            .Select(u => $"{u.GetProperty("unit").GetString()}: {u.GetProperty("status").GetString()} ({u.GetProperty("detail").GetString()})")
            .ToList();
        var count = root.GetProperty("units").GetArrayLength();
        if (notNoOp.Count > 0 || count != o.Units)
        {
            throw new InvalidOperationException($"not a no-op pass of {o.Units} units ({count} reported: {root.GetProperty("summary").GetString()}):\n  " + string.Join("\n  ", notNoOp));
        }
        return new Run("update-agent check", wall, cpu, seen, root.GetProperty("registry_requests").GetInt64(), root.GetProperty("seconds").GetDouble());
    }

    private static async Task<Run> PodmanPassAsync(Options o, DelayProxy proxy)
    {
        var before = proxy.Snapshot();
        var cpu = ChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        var result = await InGuestAsync(o, "podman", "auto-update", "--format", "{{.Unit}} {{.Updated}}");
        var wall = watch.Elapsed.TotalSeconds;
        cpu = ChildrenCpuSeconds() - cpu;
        var seen = proxy.Snapshot().Minus(before);
        result.EnsureSuccess("podman auto-update");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("bench-engine-", StringComparison.Ordinal)).ToList();
        if (lines.Count != o.Units || lines.Any(l => !l.EndsWith(" false", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"podman auto-update did not report {o.Units} units, none updated:\n{result.StandardOutput}{result.StandardError}");
        }
        return new Run("podman auto-update", wall, cpu, seen, null, null);
    }

    private static void Report(Options o, DelayProxy proxy, int units, List<Run> runs, List<Run> backToBack)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
        var ours = runs.Where(r => r.Tool.StartsWith("update-agent", StringComparison.Ordinal)).ToList();
        var podman = runs.Where(r => r.Tool.StartsWith("podman", StringComparison.Ordinal)).ToList();

        Console.WriteLine();
        Console.WriteLine($"No-op pass over {units} units on {o.Images} images, registry behind a {proxy.RoundTrip.TotalMilliseconds:0} ms round trip, {o.Runs} measured passes each, interleaved.");
        Console.WriteLine($"Delay: each HTTP request's response is held {proxy.RoundTrip.TotalMilliseconds:0} ms before its first byte is passed on (one round trip), and each new TCP");
        Console.WriteLine($"connection's first bytes {proxy.Handshake.TotalMilliseconds:0} ms before they are passed on (the TCP handshake); no bandwidth limit, plain HTTP (no TLS to set up).");
        var build = File.Exists(Path.ChangeExtension(o.Agent, ".dll")) ? "a JIT build on the .NET runtime" : "Native AOT";
        Console.WriteLine($"Wall time: the command as an operator runs it, process start to exit (update-agent: {o.Agent}, {build}; podman: through nsenter into the guest).");
        Console.WriteLine("CPU: user + system time of the command's own processes. The work update-agent asks of the guest's Podman API service (podman system service,");
        Console.WriteLine("socket-activated) is not in it; podman auto-update does that work in its own process, so it is in podman's.");
        Console.WriteLine();
        Console.WriteLine("| | wall time, median (min–max) | CPU, median | requests per pass | connections per pass | own count |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, set) in new[] { ("update-agent check", ours), ("podman auto-update", podman) })
        {
            var requests = string.Join("/", set.Select(r => r.Seen.Requests).Distinct());
            var connections = string.Join("/", set.Select(r => r.Seen.Connections).Distinct());
            var own = set[0].OwnCount is null ? "–" : $"registry_requests {string.Join("/", set.Select(r => r.OwnCount).Distinct())}, pass {Median(set.Select(r => r.OwnSeconds!.Value)):0.000} s";
            Console.WriteLine($"| {name} | {Median(set.Select(r => r.WallSeconds)):0.000} s ({set.Min(r => r.WallSeconds):0.000}–{set.Max(r => r.WallSeconds):0.000}) | {Median(set.Select(r => r.CpuSeconds)):0.000} s | {requests} | {connections} | {own} |");
        }
        Console.WriteLine($"| update-agent check, back to back (Podman API service still up) | {Median(backToBack.Select(r => r.WallSeconds)):0.000} s ({backToBack.Min(r => r.WallSeconds):0.000}–{backToBack.Max(r => r.WallSeconds):0.000}) | {Median(backToBack.Select(r => r.CpuSeconds)):0.000} s | {string.Join("/", backToBack.Select(r => r.Seen.Requests).Distinct())} | {string.Join("/", backToBack.Select(r => r.Seen.Connections).Distinct())} | pass {Median(backToBack.Select(r => r.OwnSeconds!.Value)):0.000} s |");
        var ratio = Median(ours.Select(r => r.WallSeconds)) / Median(podman.Select(r => r.WallSeconds));
        var ourRequests = Median(ours.Select(r => (double)r.Seen.Requests));
        var podmanRequests = Median(podman.Select(r => (double)r.Seen.Requests));
        Console.WriteLine();
        Console.WriteLine($"ratio, wall time : {ratio:0.000}x podman auto-update (goal <= 0.1x)");
        Console.WriteLine($"ratio, requests  : {ourRequests / podmanRequests:0.000}x; update-agent {ourRequests / o.Images:0.00} per distinct image (goal <= 1), podman {podmanRequests / o.Images:0.00}");
        Console.WriteLine();
        foreach (var (name, set) in new[] { ("update-agent check", ours), ("podman auto-update", podman) })
        {
            var kinds = set[^1].Seen.ByKind.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value} {p.Key}");
            Console.WriteLine($"{name}, requests of the last pass: {string.Join(", ", kinds)}");
        }
        Console.WriteLine();
        foreach (var run in runs.Concat(backToBack))
        {
            Console.WriteLine($"  {run.Tool,-20} {run.WallSeconds,7:0.000} s wall {run.CpuSeconds,7:0.000} s CPU  {run.Seen.Requests,3} requests  {run.Seen.Connections,3} connections{(run.OwnCount is { } n ? $"  (own count {n}, pass {run.OwnSeconds:0.000} s)" : "")}");
        }
    }

    private static bool TryParse(string[] args, out Options options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }
        int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        options = null!;
        if (args.Length % 2 != 0 || !values.ContainsKey("--guest-pid") || !values.ContainsKey("--registry") || !values.ContainsKey("--listen")
            || !values.ContainsKey("--agent") || !values.ContainsKey("--testbed"))
        {
            return false;
        }
        options = new Options(Int("--guest-pid", 0), values["--registry"], values["--listen"], values["--agent"], values["--testbed"],
            Int("--units", 20), Int("--images", 5), Int("--runs", 5), Int("--delay-ms", 40), Int("--handshake-ms", Int("--delay-ms", 40)));
        return options.Runs > 0 && options.Images > 0 && options.Units >= options.Images;
    }
}
