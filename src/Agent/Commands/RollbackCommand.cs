using System.CommandLine;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Hosting;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent rollback UNIT</c>: puts back the image the unit ran before its last committed
/// update (kept under its rollback tag), restarts it and checks its health. The digest it leaves is
/// quarantined, so the next pass does not move the unit straight back.
/// </summary>
internal static class RollbackCommand
{
    public static Command Create()
    {
        var unit = new Argument<string>("unit") { Description = "The unit to roll back" };
        var config = CommonOptions.Config();
        var command = new Command("rollback", "Return a unit to the image it ran before its last update, and quarantine the one it leaves") { unit, config };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(unit)!, parse.GetValue(config), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, token));
        return command;
    }

    private static async Task<int> RunAsync(string unit, string? configFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = AgentContext.Load(configFile, needPolicy: true);
        if (!context.Succeeded)
        {
            return context.Fail("rollback", error);
        }
        using var updateLock = UpdateLock.TryAcquire(context.Settings.StateDirectory);
        if (updateLock is null)
        {
            await error.WriteLineAsync("update-agent rollback: another update runs (the daemon or a command holds the lock); try again in a moment").ConfigureAwait(false);
            return ExitCodes.Busy;
        }
        using var loggers = AgentContext.Loggers(verbose: false);
        await using var services = await AgentServices.CreateAsync(context.Settings, context.Policy!, loggers, cancellationToken).ConfigureAwait(false);
        var last = services.History.History(unit, limit: 50).FirstOrDefault(r => r.Status == UnitStatus.Updated);
        var found = await services.Host.DiscoverUnitsAsync(cancellationToken).ConfigureAwait(false);
        if (last is null || last.PreviousImageId.Length == 0)
        {
            // A unit that runs several images keeps a history per image: each is rolled back by its own name.
            var parts = UnitKey.Of(found.Units).Where(k => k.Unit.UnitName == unit && k.Key != unit).Select(k => $"'{k.Key}'").ToList();
            await error.WriteLineAsync(parts.Count > 0
                ? $"update-agent rollback: {unit} runs several images, each with its own history; name the one to roll back: {string.Join(", ", parts)}"
                : $"update-agent rollback: {unit} has no committed update to roll back").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        var running = UnitKey.Find(unit, found.Units);
        // The same plan recovery would make: the configured gate with the unit's health labels on top.
        var plan = services.Planner.ForRecord(last, running);
        var id = services.History.BeginUpdate(unit, last.Image, last.ToDigest, last.FromDigest, last.PreviousImageId, "operator", "", "rollback requested by an operator");
        // What the unit returns to becomes the ledger's current digest, so the guard and the next pass accept it.
        var restores = services.History.VerifiedHistory(unit).FirstOrDefault(e => e.ImageId == last.PreviousImageId || e.PlatformDigest == last.FromDigest || e.Digest == last.FromDigest)
            ?? new LedgerEntry(unit, last.Image, last.FromDigest, last.FromDigest, last.PreviousImageId, "", "", "ran before the update that was rolled back", default);
        restores = restores with { How = "rollback", ImageId = last.PreviousImageId };
        var state = await services.Machine.RunAsync(new RollingBack(plan, last.ToDigest, id, "rolled back by an operator", Quarantine: true, restores), cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"{unit}: {state.Status}: {state.Detail}").ConfigureAwait(false);
        return state is RolledBack ? ExitCodes.Ok : ExitCodes.UnitFailed;
    }
}
