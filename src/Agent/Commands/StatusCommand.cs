using System.CommandLine;
using UpdateAgent.Api;
using UpdateAgent.Core.History;
using UpdateAgent.Hosting;
using UpdateAgent.Json;

namespace UpdateAgent.Commands;

/// <summary>
/// <c>update-agent status</c>: each managed unit as the last check saw it, its last update, hold and
/// quarantined digests. Asks the daemon over its API socket when it runs, else reads the history itself.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var command = new Command("status", "Show each managed unit: image, running and remote digest, last verdict, last check, last update, hold, quarantine") { config, json };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(config), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, token));
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = AgentContext.Load(configFile, needPolicy: false);
        if (!context.Succeeded)
        {
            return context.Fail("status", error);
        }
        string? fromDaemon;
        try
        {
            fromDaemon = await ApiClient.TryGetAsync(context.Settings.ApiSocket, "/v1/status", cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRefusedException e) when (e.Status == 503)
        {
            fromDaemon = null; // the daemon went away mid-request: reading the store changes nothing, so read it here
        }
        catch (ApiRefusedException e)
        {
            await error.WriteLineAsync($"update-agent status: the daemon refused: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        StatusDocument status;
        if (fromDaemon is { } body)
        {
            if (json)
            {
                await output.WriteAsync(body).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            status = System.Text.Json.JsonSerializer.Deserialize(body, CliJsonContext.Default.StatusDocument)!;
        }
        else
        {
            using var history = HistoryStore.Open(context.Settings.HistoryPath);
            status = StatusReader.Read(history);
        }
        await output.WriteAsync(json ? CliJson.Write(status, CliJsonContext.Default.StatusDocument) : StatusReader.Table(status)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
