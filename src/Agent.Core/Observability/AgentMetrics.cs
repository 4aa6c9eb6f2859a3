using System.Globalization;
using System.Text;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Observability;

/// <summary>
/// Counters and gauges of the agent in Prometheus text format, fed from pass reports: checks,
/// updates, refusals by reason, rollbacks, restores, failures, unverified and unmanageable units,
/// quarantined digests, last successful pass, pass duration.
/// </summary>
public sealed class AgentMetrics
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _refusalsByReason = new(StringComparer.Ordinal);
    private long _checks;
    private long _updates;
    private long _rollbacks;
    private long _failures;
    private long _restores;
    private long _abandoned;
    private long _unverified;
    private long _unmanageable;
    private Dictionary<UnitStatus, int> _unitsByStatus = [];
    private long _passes;
    private double _lastPassSeconds;
    private DateTimeOffset? _lastSuccess;

    /// <summary>Counts one finished pass.</summary>
    public void Record(PassReport report, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            _passes++;
            _checks += report.Units.Count;
            _lastPassSeconds = report.Duration.TotalSeconds;
            foreach (var unit in report.Units)
            {
                switch (unit.Status)
                {
                    case UnitStatus.Updated: _updates++; break;
                    case UnitStatus.RolledBack: _rollbacks++; break;
                    case UnitStatus.Failed: _failures++; break;
                    case UnitStatus.Restored: _restores++; break;
                    case UnitStatus.Abandoned: _abandoned++; break;
                    case UnitStatus.Refused:
                        foreach (var code in unit.ReasonCodes.DefaultIfEmpty("unknown"))
                        {
                            _refusalsByReason[code] = _refusalsByReason.GetValueOrDefault(code) + 1;
                        }
                        break;
                }
            }
            // Gauges of the last full picture: a person alerts on "any unit runs what was not verified".
            _unverified = report.Units.Count(u => u.Status == UnitStatus.Unverified);
            _unmanageable = report.Units.Count(u => u.Status == UnitStatus.Unmanageable);
            if (report.Units.Count > 0)
            {
                // Every status word is counted, so a new one is never invisible to alerting.
                _unitsByStatus = report.Units.GroupBy(u => u.Status).ToDictionary(g => g.Key, g => g.Count());
            }
            if (report.Units.All(u => u.Status != UnitStatus.Failed))
            {
                _lastSuccess = finishedAt;
            }
        }
    }

    /// <summary>The metrics as Prometheus text; <paramref name="quarantined"/> is read from the history at the time of the scrape.</summary>
    public string Render(int quarantined)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, string value, string labels = "")
        {
            text.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
            text.Append("# TYPE ").Append(name).Append(' ').AppendLine(type);
            text.Append(name).Append(labels).Append(' ').AppendLine(value);
        }
        static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            Metric("update_agent_passes_total", "counter", "Passes over the managed units.", N(_passes));
            Metric("update_agent_checks_total", "counter", "Unit checks done.", N(_checks));
            Metric("update_agent_updates_total", "counter", "Units moved to a new digest and found healthy.", N(_updates));
            Metric("update_agent_rollbacks_total", "counter", "Updates rolled back after a failed health gate.", N(_rollbacks));
            Metric("update_agent_restores_total", "counter", "Units found on an unverified image and put back on their last verified digest.", N(_restores));
            Metric("update_agent_unverified_units", "gauge", "Units that ran an image update-agent did not verify at the last pass (and were not restored).", N(_unverified));
            Metric("update_agent_unmanageable_units", "gauge", "Units that pull their tag on every start, at the last pass.", N(_unmanageable));
            Metric("update_agent_abandoned_total", "counter", "Updates undone without a verdict on the candidate (the agent stopped, a step could not run).", N(_abandoned));
            Metric("update_agent_failures_total", "counter", "Unit checks or updates that failed.", N(_failures));
            text.AppendLine("# HELP update_agent_refusals_total Candidates refused by the trust policy, by reason code.");
            text.AppendLine("# TYPE update_agent_refusals_total counter");
            foreach (var (reason, count) in _refusalsByReason.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                text.Append("update_agent_refusals_total{reason=\"").Append(reason).Append("\"} ").AppendLine(N(count));
            }
            text.AppendLine("# HELP update_agent_units Units per status at the last pass that checked any.");
            text.AppendLine("# TYPE update_agent_units gauge");
            // Every status has its series, zero included, so an alert on one never waits for its first occurrence.
            foreach (var status in UnitStatuses.All.Where(s => s != UnitStatus.InProgress))
            {
                text.Append("update_agent_units{status=\"").Append(status.Word()).Append("\"} ").AppendLine(N(_unitsByStatus.GetValueOrDefault(status)));
            }
            Metric("update_agent_quarantined_digests", "gauge", "Digests quarantined after failing a health gate.", N(quarantined));
            Metric("update_agent_last_pass_duration_seconds", "gauge", "Duration of the last pass.", N(_lastPassSeconds));
            Metric("update_agent_last_successful_pass_timestamp_seconds", "gauge", "When the last pass without failures ended (Unix time).",
                N(_lastSuccess?.ToUnixTimeMilliseconds() / 1000.0 ?? 0));
        }
        return text.ToString();
    }

    /// <summary>Writes the metrics for node_exporter's textfile collector: a temporary file renamed into place, so a scrape never reads half a file.</summary>
    public void WriteTextfile(string directory, int quarantined)
    {
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, "update_agent.prom");
        var temporary = target + ".tmp";
        File.WriteAllText(temporary, Render(quarantined));
        File.Move(temporary, target, overwrite: true);
    }
}
