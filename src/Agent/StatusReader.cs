using UpdateAgent.Core.History;
using UpdateAgent.Json;

namespace UpdateAgent;

/// <summary>Builds the status document from the history, for the CLI and the API alike.</summary>
internal static class StatusReader
{
    public static StatusDocument Read(HistoryStore history)
    {
        var quarantine = history.QuarantineList();
        var checks = history.UnitChecks();
        return new StatusDocument(checks.Select(check =>
        {
            var last = history.History(check.Unit, limit: 20).FirstOrDefault(r => r.Status != UnitStatus.Refused);
            return new UnitStatusDocument(check.Unit, check.Image, check.RunningDigest, check.RemoteDigest, check.Status.Word(), check.Detail,
                check.CheckedAt, last?.Finished ?? last?.Started, last?.Status.Word(), history.HoldReason(check.Unit),
                quarantine.Where(q => q.Unit == check.Unit).Select(q => q.Digest).ToList(),
                history.CurrentVerified(check.Unit) is { } v ? new VerifiedDocument(v.Digest, v.PlatformDigest, v.ImageId, v.How, v.Signers, v.At) : null,
                checks.Where(c => c.Image == check.Image && c.Unit != check.Unit).Select(c => c.Unit).ToList());
        }).ToList());
    }

    public static string Table(StatusDocument status)
    {
        if (status.Units.Count == 0)
        {
            return "no unit has been checked yet: run 'update-agent check' or start update-agent.service\n";
        }
        return Tables.Render(["UNIT", "STATUS", "RUNNING", "REMOTE", "CHECKED", "LAST UPDATE", "HOLD", "DETAIL"],
            status.Units.Select(u => new[]
            {
                u.Unit, u.Status, Tables.Short(u.RunningDigest), Tables.Short(u.RemoteDigest), Tables.Time(u.LastCheck),
                u.LastUpdate is null ? "-" : $"{u.LastUpdateStatus} {Tables.Time(u.LastUpdate)}", u.Hold ?? "-",
                u.Detail + (u.Quarantined.Count > 0 ? $" [quarantined: {string.Join(", ", u.Quarantined.Select(Tables.Short))}]" : "")
                    + (u.Group.Count > 0 ? $" [moves with: {string.Join(", ", u.Group)}]" : ""),
            }).ToList());
    }
}
