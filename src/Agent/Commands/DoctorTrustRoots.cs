using System.Globalization;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>doctor</c>'s report on each authority's <c>trusted_root.json</c>: the file, its age and the
/// window of every CA and key in it. A file older than <see cref="MaxAge"/> or a window that has
/// ended is a warning (signatures made inside a window stay valid); nothing current left to check a
/// new keyless signature with is a failure, since every new signature would then be refused.
/// </summary>
internal static class DoctorTrustRoots
{
    /// <summary>Age after which the file is reported as stale: Sigstore rotates keys a few times a year.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(90);

    /// <summary>How one finding is reported.</summary>
    public enum Level
    {
        /// <summary>All well.</summary>
        Ok,
        /// <summary>Worth acting on; does not fail <c>doctor</c>.</summary>
        Warn,
        /// <summary>New signatures would be refused.</summary>
        Fail,
    }

    /// <summary>One line of the report.</summary>
    public sealed record Finding(Level Level, string What, string Detail, string Fix);

    /// <summary>One finding per authority whose trust root comes from a file, judged at <paramref name="now"/>.</summary>
    public static IReadOnlyList<Finding> Describe(TrustPolicy policy, DateTimeOffset now)
    {
        var findings = new List<Finding>();
        foreach (var (name, authority) in policy.Authorities.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var root = authority.TrustRoot;
            if (root.SourceFile is null)
            {
                continue;
            }
            var fix = $"refresh {root.SourceFile} from the Sigstore TUF repository (docs/policy.md, \"Sigstore trust root\")";
            var lines = new List<string>();
            var problems = new List<string>();
            var warnings = new List<string>();
            var age = root.SourceWritten is { } written ? now - written : (TimeSpan?)null;
            var header = root.SourceWritten is { } w
                ? $"{root.SourceFile}, written {w.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} ({Math.Max(0, (int)age!.Value.TotalDays)} days ago)"
                : root.SourceFile;
            if (age > MaxAge)
            {
                warnings.Add($"the file is older than {MaxAge.TotalDays:0} days");
            }
            void Section(string kind, IEnumerable<(string Name, ValidityWindow Window)> entries, bool needed)
            {
                var current = 0;
                foreach (var (entry, window) in entries)
                {
                    var state = window.End < now ? " (ended)" : window.Start > now ? " (not yet valid)" : "";
                    current += window.Contains(now) ? 1 : 0;
                    if (window.End < now)
                    {
                        warnings.Add($"{kind} {entry} ended {window.End!.Value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}");
                    }
                    lines.Add($"{kind} {entry}: {window}{state}");
                }
                if (needed && current == 0)
                {
                    problems.Add($"no {kind} is valid now");
                }
            }
            var keyless = authority.Keyless is not null;
            Section("CA", root.CertificateAuthorities.Select(c => (c.Name, c.ValidFor)), keyless);
            Section("Rekor log", root.TransparencyLogs.Select(l => (LogName(l), l.ValidFor)), authority.RequireTransparencyLog);
            Section("CT log", root.CertificateTransparencyLogs.Select(l => (LogName(l), l.ValidFor)), keyless && authority.RequireSct);
            Section("TSA", root.TimestampAuthorities.Select(t => (t.Name, t.ValidFor)), false);
            var level = problems.Count > 0 ? Level.Fail : warnings.Count > 0 ? Level.Warn : Level.Ok;
            var said = string.Join("; ", problems.Concat(warnings));
            var detail = header + (said.Length > 0 ? $": {said}" : "") + string.Concat(lines.Select(l => "\n      " + l));
            findings.Add(new Finding(level, $"trust root of '{name}'", detail, level == Level.Ok ? "" : fix));
        }
        return findings;
    }

    /// <summary>Writes the findings: failures through <paramref name="report"/> (they count), the rest to <paramref name="output"/>.</summary>
    public static async Task CheckAsync(TrustPolicy policy, DateTimeOffset now, TextWriter output, Func<string, bool, string, string, Task> report)
    {
        foreach (var finding in Describe(policy, now))
        {
            if (finding.Level == Level.Warn)
            {
                await output.WriteLineAsync($"warn  {finding.What}: {finding.Detail}\n      fix: {finding.Fix}").ConfigureAwait(false);
            }
            else
            {
                await report(finding.What, finding.Level == Level.Ok, finding.Detail, finding.Fix).ConfigureAwait(false);
            }
        }
    }

    private static string LogName(LogKey log) => log.BaseUrl ?? $"key {log.LogIdHex[..16]}…";
}
