using System.CommandLine;
using System.Globalization;
using UpdateAgent.Core;
using UpdateAgent.Core.History;
using UpdateAgent.Hosting;
using UpdateAgent.Json;

namespace UpdateAgent.Commands;

/// <summary><c>update-agent history [UNIT] [--since WHEN]</c>: updates, refusals and rollbacks, newest first, with their journaled steps.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var unit = new Argument<string?>("unit") { Description = "Only this unit", Arity = ArgumentArity.ZeroOrOne };
        var since = new Option<string?>("--since") { Description = "Only since this time (ISO 8601, e.g. 2026-11-23T02:00Z) or this long ago (e.g. 24h, 7d)" };
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var command = new Command("history", "Show what was updated, refused and rolled back, and why") { unit, since, config, json };
        command.SetAction(parse => Run(parse.GetValue(unit), parse.GetValue(since), parse.GetValue(config), parse.GetValue(json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string? unit, string? sinceText, string? configFile, bool json, TextWriter output, TextWriter error)
    {
        DateTimeOffset? since = null;
        if (sinceText is not null)
        {
            if (Durations.TryParse(sinceText, out var ago))
            {
                since = DateTimeOffset.UtcNow - ago;
            }
            else if (DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                since = at;
            }
            else
            {
                error.WriteLine($"update-agent history: --since '{sinceText}' is neither a time (2026-11-23T02:00Z) nor a duration (24h)");
                return ExitCodes.UsageError;
            }
        }
        var context = AgentContext.Load(configFile, needPolicy: false);
        if (!context.Succeeded)
        {
            return context.Fail("history", error);
        }
        using var history = HistoryStore.Open(context.Settings.HistoryPath);
        var records = history.History(unit, since);
        if (json)
        {
            var documents = records.Select(r => new HistoryDocument(r.Id, r.Unit, r.Image, r.FromDigest, r.ToDigest, r.Verdict, r.Signers,
                r.Reasons.Split('\n', StringSplitOptions.RemoveEmptyEntries), r.Status, r.Started, r.Finished,
                history.Steps(r.Id).Select(s => new StepDocument(s.Step.ToString(), s.Phase, s.At, s.Detail)).ToList())).ToList();
            output.Write(CliJson.Write(documents, CliJsonContext.Default.ListHistoryDocument));
        }
        else
        {
            output.Write(Tables.History(records));
        }
        return ExitCodes.Ok;
    }
}
