using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using UpdateAgent.Testing;

namespace UpdateAgent.Bench;

/// <summary>
/// A long daemon run in a short time: <c>update-agent run</c> over the bench units, driven through
/// thousands of passes by <c>update-agent check</c>, which hands each pass to the running daemon
/// over its API socket (the daemon's own schedule is set to a day, so it adds none). Each pass is
/// the one the schedule would run: recovery, discovery, one HEAD per image, the history written.
/// The daemon's RSS (<c>/proc/PID/status</c>) and the history store's size on disk are read after
/// every 1/24 of the passes, so the first reading stands for the first hour of a day.
/// </summary>
internal static class DaemonDay
{
    public static async Task<int> RunAsync(string[] args)
    {
        var passes = 2880;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--passes")
            {
                passes = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
        }
        var rest = args.Where((a, i) => a != "--passes" && (i == 0 || args[i - 1] != "--passes")).ToArray();
        if (!EnginePass.TryParse(rest, out var o) || passes < 24)
        {
            Console.Error.WriteLine("usage: Agent.Bench daemon-day --guest-pid PID --registry HOST:PORT --listen HOST:PORT --agent PATH --testbed DIR [--units 20] [--images 5] [--passes 2880 (at least 24)] [--delay-ms 40]");
            return 2;
        }
        await using var set = await BenchUnits.StartAsync(o, "day");
        var socket = Path.Combine(set.Work, "api.sock");
        var config = EnginePass.WriteConfig(o, set.Work, $"""
            api_socket = "{socket}"

            [schedule]
            interval = "24h"
            jitter = "0s"
            """);
        return await DriveAsync(o, config, socket, Path.Combine(set.Work, "state", "history.db"), passes);
    }

    private static async Task<int> DriveAsync(EnginePass.Options o, string config, string socket, string history, int passes)
    {
        var psi = new ProcessStartInfo(o.Agent) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "run", "--config", config })
        {
            psi.ArgumentList.Add(arg);
        }
        using var daemon = Process.Start(psi) ?? throw new InvalidOperationException("could not start the daemon");
        var log = new List<string>();
        daemon.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.Add(e.Data); } } };
        daemon.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.Add(e.Data); } } };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        try
        {
            for (var i = 0; i < 600 && !File.Exists(socket); i++)
            {
                await Task.Delay(100);
            }
            Console.WriteLine($"daemon {daemon.Id} up; {passes} passes over {o.Units} units on {o.Images} images, each handed to the daemon by update-agent check");
            Console.WriteLine();
            Console.WriteLine("| passes | hour-equivalent | VmRSS | RssAnon | RssFile | VmHWM | history.db (+ -wal) | seconds per pass, median of the stretch |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            var readings = new List<(int Passes, long RssKb, long Bytes)>();
            var stretch = new List<double>();
            var busy = 0;
            for (var pass = 1; pass <= passes; pass++)
            {
                var watch = Stopwatch.StartNew();
                var result = await ProcessRunner.RunAsync(o.Agent, ["check", "--config", config, "--json"], TimeSpan.FromMinutes(5));
                if (result.ExitCode == 5 && ++busy < 100)
                {
                    // Exit 5 (busy): the daemon's startup pass still holds the lock. Not a pass of ours; ask again.
                    pass--;
                    await Task.Delay(200);
                    continue;
                }
                result.EnsureSuccess($"update-agent check (pass {pass}, through the daemon)");
                stretch.Add(watch.Elapsed.TotalSeconds);
                using (var report = JsonDocument.Parse(result.StandardOutput))
                {
                    var units = report.RootElement.GetProperty("units").EnumerateArray().ToList();
                    if (units.Count != o.Units || units.Any(u => u.GetProperty("status").GetString() != "up to date"))
                    {
                        throw new InvalidOperationException($"pass {pass} was not a no-op pass of {o.Units} units: {report.RootElement.GetProperty("summary").GetString()}");
                    }
                }
                if (pass % (passes / 24) == 0 || pass == passes)
                {
                    var status = Status(daemon.Id);
                    var bytes = Size(history) + Size(history + "-wal");
                    readings.Add((pass, status["VmRSS"], bytes));
                    var sorted = stretch.Order().ToList();
                    Console.WriteLine($"| {pass} | {pass * 24.0 / passes:0.0} | {status["VmRSS"] / 1024.0:0.0} MB | {status["RssAnon"] / 1024.0:0.0} MB | {status["RssFile"] / 1024.0:0.0} MB | {status["VmHWM"] / 1024.0:0.0} MB | {Size(history) / 1024.0:0} KB + {Size(history + "-wal") / 1024.0:0} KB | {sorted[sorted.Count / 2]:0.000} |");
                    stretch.Clear();
                }
            }
            var first = readings[0];
            var last = readings[^1];
            Console.WriteLine();
            Console.WriteLine($"RSS after the first hour-equivalent ({first.Passes} passes): {first.RssKb / 1024.0:0.0} MB; at the end ({last.Passes}): {last.RssKb / 1024.0:0.0} MB; change {(last.RssKb - first.RssKb) * 100.0 / first.RssKb:+0.0;-0.0} % (goal within 10 %)");
            Console.WriteLine($"history store after the first hour-equivalent: {first.Bytes / 1024.0:0} KB; at the end: {last.Bytes / 1024.0:0} KB ({(last.Bytes - first.Bytes) / 1024.0:+0;-0} KB)");
            return 0;
        }
        finally
        {
            // SIGTERM, as systemctl stop would send it; the daemon finishes its pass and exits.
            using (var term = Process.Start("kill", ["-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            if (!daemon.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                daemon.Kill();
                Console.Error.WriteLine("the daemon did not exit within 30 s of SIGTERM; killed. Its last lines:\n" + string.Join('\n', log.TakeLast(20)));
            }
        }
    }

    // The kB figures of /proc/PID/status.
    private static Dictionary<string, long> Status(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status")
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
            .ToDictionary(p => p[0], p => long.Parse(p[1].Trim()[..^3].Trim(), CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static long Size(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
