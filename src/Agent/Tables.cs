using System.Globalization;
using System.Text;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;

namespace UpdateAgent;

/// <summary>Plain-text tables for people; <c>--json</c> gives the same facts to scripts.</summary>
internal static class Tables
{
    public static string Short(string? digest) =>
        digest is null or "" ? "-" : digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length > 19 ? digest[..19] : digest;

    public static string Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    public static string Check(PassReport report)
    {
        var rows = report.Units.Select(u => new[] { u.Unit, u.Status.Word(), Short(u.RunningDigest), Short(u.Candidate), u.Detail }).ToList();
        return Render(["UNIT", "STATUS", "RUNNING", "REMOTE", "DETAIL"], rows) + $"{report.Summary} ({report.DistinctImages} images, {report.Duration.TotalSeconds:0.00} s)\n";
    }

    public static string History(IEnumerable<UpdateRecord> records) =>
        Render(["ID", "STARTED", "UNIT", "STATUS", "FROM", "TO", "SIGNERS", "REASONS"],
            records.Select(r => new[] { r.Id.ToString(CultureInfo.InvariantCulture), Time(r.Started), r.Unit, r.Status.Word(), Short(r.FromDigest), Short(r.ToDigest), r.Signers, r.Reasons.Replace('\n', ';') }).ToList());

    /// <summary>Columns padded to their widest cell; the last column is not padded.</summary>
    public static string Render(string[] headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
            }
            text.Append('\n');
        }
        Line(headers);
        foreach (var row in rows)
        {
            Line(row);
        }
        return text.ToString();
    }
}
