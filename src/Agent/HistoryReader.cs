using System.Globalization;
using UpdateAgent.Core;
using UpdateAgent.Core.History;
using UpdateAgent.Json;

namespace UpdateAgent;

/// <summary>History rows as documents with their journaled steps, for the CLI and the API alike.</summary>
internal static class HistoryReader
{
    public static List<HistoryDocument> Read(HistoryStore history, string? unit, DateTimeOffset? since) =>
        history.History(unit, since).Select(r => new HistoryDocument(r.Id, r.Unit, r.Image, r.FromDigest, r.ToDigest, r.Verdict, r.Signers,
            r.Reasons.Split('\n', StringSplitOptions.RemoveEmptyEntries), r.Status.Word(), r.Started, r.Finished,
            history.Steps(r.Id).Select(s => new StepDocument(s.Step.ToString(), s.Phase, s.At, s.Detail)).ToList())).ToList();

    /// <summary>Reads <c>--since</c>: a time (2026-11-23T02:00Z) or how long ago (24h, 7d); null text means no limit.</summary>
    public static bool TryParseSince(string? text, DateTimeOffset now, out DateTimeOffset? since)
    {
        since = null;
        if (text is null)
        {
            return true;
        }
        if (Durations.TryParse(text, out var ago))
        {
            since = now - ago;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            since = at;
            return true;
        }
        return false;
    }
}
