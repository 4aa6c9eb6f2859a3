using System.CommandLine;
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
        if (!HistoryReader.TryParseSince(sinceText, DateTimeOffset.UtcNow, out var since))
        {
            error.WriteLine($"update-agent history: --since '{sinceText}' is neither a time (2026-11-23T02:00Z) nor a duration (24h)");
            return ExitCodes.UsageError;
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
            output.Write(CliJson.Write(HistoryReader.Read(history, unit, since), CliJsonContext.Default.ListHistoryDocument));
        }
        else
        {
            output.Write(Tables.History(records));
        }
        return ExitCodes.Ok;
    }
}
