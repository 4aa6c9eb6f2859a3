using System.CommandLine;
using UpdateAgent.Core.History;
using UpdateAgent.Hosting;
using UpdateAgent.Json;

namespace UpdateAgent.Commands;

/// <summary><c>hold UNIT</c>, <c>release UNIT</c> and <c>quarantine list|release</c>: an operator's say over what may be updated.</summary>
internal static class HoldCommands
{
    public static Command Hold()
    {
        var unit = new Argument<string>("unit") { Description = "The unit to hold" };
        var reason = new Option<string>("--reason") { Description = "Why (shown in status)", DefaultValueFactory = _ => "held by an operator" };
        var config = CommonOptions.Config();
        var command = new Command("hold", "Keep a unit on what it runs: it is still checked and reported, never updated, until released") { unit, reason, config };
        command.SetAction(parse => WithHistory("hold", parse.GetValue(config), parse.InvocationConfiguration.Error, history =>
        {
            history.Hold(parse.GetValue(unit)!, parse.GetValue(reason)!);
            parse.InvocationConfiguration.Output.WriteLine($"{parse.GetValue(unit)} is held: {parse.GetValue(reason)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Release()
    {
        var unit = new Argument<string>("unit") { Description = "The unit to release" };
        var config = CommonOptions.Config();
        var command = new Command("release", "Release a held unit: the next pass may update it again") { unit, config };
        command.SetAction(parse => WithHistory("release", parse.GetValue(config), parse.InvocationConfiguration.Error, history =>
        {
            var name = parse.GetValue(unit)!;
            if (!history.ReleaseHold(name))
            {
                parse.InvocationConfiguration.Error.WriteLine($"update-agent release: {name} is not held");
                return ExitCodes.UsageError;
            }
            parse.InvocationConfiguration.Output.WriteLine($"{name} is released");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Quarantine()
    {
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var list = new Command("list", "List digests that failed their health gate and are never retried automatically") { config, json };
        list.SetAction(parse => WithHistory("quarantine list", parse.GetValue(config), parse.InvocationConfiguration.Error, history =>
        {
            var entries = history.QuarantineList().ToList();
            parse.InvocationConfiguration.Output.Write(parse.GetValue(json)
                ? CliJson.Write(entries, CliJsonContext.Default.ListQuarantineEntry)
                : Tables.Render(["UNIT", "DIGEST", "SINCE", "REASON"], entries.Select(e => new[] { e.Unit, e.Digest, Tables.Time(e.Since), e.Reason }).ToList()));
            return ExitCodes.Ok;
        }));

        var unit = new Argument<string>("unit") { Description = "The unit" };
        var digest = new Argument<string>("digest") { Description = "The quarantined digest (sha256:…)" };
        var releaseConfig = CommonOptions.Config();
        var release = new Command("release", "Allow a quarantined digest to be tried again on the next pass") { unit, digest, releaseConfig };
        release.SetAction(parse => WithHistory("quarantine release", parse.GetValue(releaseConfig), parse.InvocationConfiguration.Error, history =>
        {
            if (!history.ReleaseQuarantine(parse.GetValue(unit)!, parse.GetValue(digest)!))
            {
                parse.InvocationConfiguration.Error.WriteLine($"update-agent quarantine release: {parse.GetValue(digest)} is not quarantined for {parse.GetValue(unit)}");
                return ExitCodes.UsageError;
            }
            parse.InvocationConfiguration.Output.WriteLine($"{parse.GetValue(digest)} may be tried again for {parse.GetValue(unit)}");
            return ExitCodes.Ok;
        }));
        return new Command("quarantine", "List or release digests that failed their health gate") { list, release };
    }

    private static int WithHistory(string command, string? configFile, TextWriter error, Func<HistoryStore, int> action)
    {
        var context = AgentContext.Load(configFile, needPolicy: false);
        if (!context.Succeeded)
        {
            return context.Fail(command, error);
        }
        using var history = HistoryStore.Open(context.Settings.HistoryPath);
        return action(history);
    }
}
