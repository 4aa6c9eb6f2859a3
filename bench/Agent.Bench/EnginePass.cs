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
/// testbed, interleaved, with requests counted by the same proxy. With <c>--changed N</c>, a second
/// series follows in which the first N images get a new signed and blessed digest before each pass,
/// so both tools move those images' units (<see cref="ChangedSeriesAsync"/>).
/// </summary>
internal static partial class EnginePass
{
    private const string Source = "https://github.com/acme/bench";

    internal sealed record Options(
        int GuestPid, string Registry, string Listen, string Agent, string Testbed,
        int Units, int Images, int Runs, int DelayMs, int HandshakeMs, int Changed, int ChangedRuns);

    internal sealed record Run(string Tool, double WallSeconds, double CpuSeconds, DelayProxy.Counts Seen, long? OwnCount, double? OwnSeconds, long? PeakRssKb);

    // GNU time reports the peak RSS of the one process it waits for (wait4's ru_maxrss): the agent alone,
    // or podman auto-update under nsenter. Without it the figure is left out, not estimated.
    private const string GnuTime = "/usr/bin/time";

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
            Console.Error.WriteLine("usage: Agent.Bench engine --guest-pid PID --registry HOST:PORT --listen HOST:PORT --agent PATH --testbed DIR [--units 20] [--images 5] [--runs 5] [--delay-ms 40] [--handshake-ms DELAY] [--changed 0] [--changed-runs RUNS]");
            return 2;
        }
        await using var set = await BenchUnits.StartAsync(o, "engine");
        var (proxy, work, repositories) = (set.Proxy, set.Work, set.Repositories);
        var config = WriteConfig(o, work);

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
        Report(o, proxy, $"No-op pass over {set.Units.Count} units on {o.Images} images", runs, backToBack);
        if (o.Changed > 0 && o.ChangedRuns > 0)
        {
            await ChangedSeriesAsync(o, proxy, work, config, repositories);
        }
        return 0;
    }

    internal static async Task PushAndSignAsync(Options o, string work, IReadOnlyList<string> repositories)
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
        await SignAsync(work, repositories.Select((r, i) => $"{r}@{digests[i]}").ToList());
    }

    // Signed through the proxy, so each signature names the repository the units run.
    private static Task SignAsync(string work, IReadOnlyList<string> images) =>
        Parallel.ForEachAsync(images, new ParallelOptions { MaxDegreeOfParallelism = 5 }, async (image, _) =>
        {
            await CosignAsync(work, "sign", "--key", Path.Combine(work, "ci.key"), "--tlog-upload=false", "--allow-insecure-registry", "-y", image);
            await CosignAsync(work, "sign", "--key", Path.Combine(work, "gate.key"), "--tlog-upload=false", "--allow-insecure-registry", "-y", "-a", "stage=prod", image);
        });

    private static Task CosignAsync(string work, params string[] args) =>
        ProcessRunner.RunAsync("cosign", args, TimeSpan.FromMinutes(3),
                new Dictionary<string, string> { ["COSIGN_PASSWORD"] = string.Empty, ["COSIGN_YES"] = "true", ["HOME"] = work },
                standardInput: string.Empty)
            .ContinueWith(t => t.Result.EnsureSuccess("cosign " + string.Join(' ', args)), TaskScheduler.Default);

    internal static async Task<List<string>> StartUnitsAsync(Options o, IReadOnlyList<string> repositories)
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
        var started = Stopwatch.StartNew();
        foreach (var batch in units.Chunk(5))
        {
            if (units.Count > 20 && started.Elapsed > TimeSpan.FromSeconds(30))
            {
                Console.WriteLine($"  {units.IndexOf(batch[0])} of {units.Count} units started, {started.Elapsed.TotalSeconds:0} s");
                started.Restart();
            }
            (await InGuestAsync(o, ["systemctl", "start", .. batch])).EnsureSuccess("systemctl start " + string.Join(' ', batch));
        }
        (await InGuestAsync(o, ["systemctl", "is-active", .. units])).EnsureSuccess("systemctl is-active (every bench unit)");
        return units;
    }

    private static Task<ProcessResult> InGuestAsync(Options o, params string[] args) =>
        ProcessRunner.RunAsync("nsenter", ["-t", o.GuestPid.ToString(CultureInfo.InvariantCulture), "-a", .. args], TimeSpan.FromMinutes(5));

    // Runs the command under GNU time when it is installed, returning its peak RSS.
    private static async Task<(ProcessResult Result, long? PeakRssKb)> RunMeasuredAsync(string file, string[] args, TimeSpan timeout)
    {
        if (!File.Exists(GnuTime))
        {
            return (await ProcessRunner.RunAsync(file, args, timeout), null);
        }
        var rss = Path.GetTempFileName();
        try
        {
            var result = await ProcessRunner.RunAsync(GnuTime, ["-f", "%M", "-o", rss, "--", file, .. args], timeout);
            var text = File.ReadAllLines(rss).LastOrDefault(l => l.Length > 0 && char.IsDigit(l[0]));
            return (result, text is null ? null : long.Parse(text, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(rss);
        }
    }

    /// <summary>Writes the agent's policy and configuration for the bench units; <paramref name="extra"/> goes at the end of the [agent] table.</summary>
    internal static string WriteConfig(Options o, string work, string extra = "")
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
            {extra}

            # No soak after a restart: podman auto-update has none either, so both wait for the
            # same thing (the unit active again). The default soak of 30 s adds 30 s per moved unit.
            [health]
            soak = "0s"
            """);
        return config;
    }

    // moved: the units expected "updated" (every other one "up to date"); null accepts any status but a failure.
    private static async Task<Run> AgentPassAsync(Options o, DelayProxy proxy, string config, ISet<string>? moved = null, bool anyStatus = false)
    {
        var before = proxy.Snapshot();
        var cpu = ChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        var (result, rss) = await RunMeasuredAsync(o.Agent, ["check", "--config", config, "--json"], TimeSpan.FromMinutes(30));
        var wall = watch.Elapsed.TotalSeconds;
        cpu = ChildrenCpuSeconds() - cpu;
        var seen = proxy.Snapshot().Minus(before);
        result.EnsureSuccess("update-agent check");
        using var report = JsonDocument.Parse(result.StandardOutput);
        var root = report.RootElement;
        var notNoOp = root.GetProperty("units").EnumerateArray()
            .Where(u => !anyStatus && u.GetProperty("status").GetString() != (moved?.Contains(u.GetProperty("unit").GetString()!) == true ? "updated" : "up to date"))
            .Select(u => $"{u.GetProperty("unit").GetString()}: {u.GetProperty("status").GetString()} ({u.GetProperty("detail").GetString()})")
            .ToList();
        var count = root.GetProperty("units").GetArrayLength();
        if (notNoOp.Count > 0 || count != o.Units)
        {
            throw new InvalidOperationException($"not the expected pass of {o.Units} units ({count} reported: {root.GetProperty("summary").GetString()}):\n  " + string.Join("\n  ", notNoOp));
        }
        return new Run("update-agent check", wall, cpu, seen, root.GetProperty("registry_requests").GetInt64(), root.GetProperty("seconds").GetDouble(), rss);
    }

    private static async Task<Run> PodmanPassAsync(Options o, DelayProxy proxy, ISet<string>? moved = null)
    {
        var before = proxy.Snapshot();
        var cpu = ChildrenCpuSeconds();
        var watch = Stopwatch.StartNew();
        var (result, rss) = await RunMeasuredAsync("nsenter",
            ["-t", o.GuestPid.ToString(CultureInfo.InvariantCulture), "-a", "podman", "auto-update", "--format", "{{.Unit}} {{.Updated}}"], TimeSpan.FromMinutes(30));
        var wall = watch.Elapsed.TotalSeconds;
        cpu = ChildrenCpuSeconds() - cpu;
        var seen = proxy.Snapshot().Minus(before);
        result.EnsureSuccess("podman auto-update");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("bench-engine-", StringComparison.Ordinal)).ToList();
        if (lines.Count != o.Units || lines.Any(l => !l.EndsWith(moved?.Contains(l.Split(' ')[0]) == true ? " true" : " false", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"podman auto-update did not report {o.Units} units, {moved?.Count ?? 0} updated:\n{result.StandardOutput}{result.StandardError}");
        }
        return new Run("podman auto-update", wall, cpu, seen, null, null, rss);
    }

    internal static bool TryParse(string[] args, out Options options)
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
            Int("--units", 20), Int("--images", 5), Int("--runs", 5), Int("--delay-ms", 40), Int("--handshake-ms", Int("--delay-ms", 40)), Int("--changed", 0), Int("--changed-runs", Int("--runs", 5)));
        return options.Runs > 0 && options.Images > 0 && options.Units >= options.Images && options.Changed >= 0 && options.Changed <= options.Images && options.ChangedRuns >= 0;
    }
}
