using System.CommandLine;
using UpdateAgent.Core.History;
using UpdateAgent.Hosting;
using UpdateAgent.Json;

namespace UpdateAgent.Commands;

/// <summary><c>update-agent status</c>: each managed unit as the last check saw it, its last update, hold and quarantined digests.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var command = new Command("status", "Show each managed unit: image, running and remote digest, last verdict, last check, last update, hold, quarantine") { config, json };
        command.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string? configFile, bool json, TextWriter output, TextWriter error)
    {
        var context = AgentContext.Load(configFile, needPolicy: false);
        if (!context.Succeeded)
        {
            return context.Fail("status", error);
        }
        using var history = HistoryStore.Open(context.Settings.HistoryPath);
        var quarantine = history.QuarantineList();
        var units = history.UnitChecks().Select(check =>
        {
            var last = history.History(check.Unit, limit: 20).FirstOrDefault(r => r.Status != UpdateStatus.Refused);
            return new UnitStatusDocument(check.Unit, check.Image, check.RunningDigest, check.RemoteDigest, check.Status, check.Detail,
                check.CheckedAt, last?.Finished ?? last?.Started, last?.Status, history.HoldReason(check.Unit),
                quarantine.Where(q => q.Unit == check.Unit).Select(q => q.Digest).ToList());
        }).ToList();
        if (json)
        {
            output.Write(CliJson.Write(new StatusDocument(units), CliJsonContext.Default.StatusDocument));
            return ExitCodes.Ok;
        }
        if (units.Count == 0)
        {
            output.WriteLine("no unit has been checked yet: run 'update-agent check' or start update-agent.service");
            return ExitCodes.Ok;
        }
        output.Write(Tables.Render(["UNIT", "STATUS", "RUNNING", "REMOTE", "CHECKED", "LAST UPDATE", "HOLD", "DETAIL"],
            units.Select(u => new[]
            {
                u.Unit, u.Status, Tables.Short(u.RunningDigest), Tables.Short(u.RemoteDigest), Tables.Time(u.LastCheck),
                u.LastUpdate is null ? "-" : $"{u.LastUpdateStatus} {Tables.Time(u.LastUpdate)}", u.Hold ?? "-",
                u.Detail + (u.Quarantined.Count > 0 ? $" [quarantined: {string.Join(", ", u.Quarantined.Select(Tables.Short))}]" : ""),
            }).ToList()));
        return ExitCodes.Ok;
    }
}
