using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using UpdateAgent.Core;
using UpdateAgent.Core.Configuration;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.Observability;
using UpdateAgent.Daemon;
using UpdateAgent.Hosting;
using UpdateAgent.Json;

namespace UpdateAgent.Api;

/// <summary>
/// The daemon's API on its Unix socket. Root may do everything; members of the configured group
/// may only read (GET). The caller is known from the kernel's peer credentials.
/// </summary>
internal static class ApiEndpoints
{
    public static void Map(WebApplication app, AgentServices services, PassRunner runner, AgentMetrics metrics)
    {
        var readGroup = GroupId(services.Settings.ApiGroup);
        var ownUid = ProcessIdentity.EffectiveUid;
        app.Use(async (context, next) =>
        {
            var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
            var peer = socket is null ? null : PeerCredentials.Of(socket);
            var readOnly = HttpMethods.IsGet(context.Request.Method);
            // Root, or the user a user instance runs as (the system daemon runs as root: the same rule).
            var allowed = peer is { Uid: 0 } || peer?.Uid == ownUid || (readOnly && peer is { } p && readGroup is { } gid && p.InGroup(gid));
            if (!allowed)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync(peer is null
                    ? "update-agent: could not identify the caller\n"
                    : $"update-agent: uid {peer.Value.Uid} may not {(readOnly ? "read from" : "change")} the agent; {(readOnly ? "run as root or join the API group" : "run as root")}\n").ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });

        app.MapGet("/v1/status", () => Results.Text(CliJson.Write(StatusReader.Read(services.History), CliJsonContext.Default.StatusDocument), "application/json"));

        app.MapGet("/v1/history", (string? unit, string? since) =>
        {
            if (!HistoryReader.TryParseSince(since, DateTimeOffset.UtcNow, out var from))
            {
                return Results.Text($"since '{since}' is neither a time nor a duration\n", "text/plain", statusCode: StatusCodes.Status400BadRequest);
            }
            return Results.Text(CliJson.Write(HistoryReader.Read(services.History, unit, from), CliJsonContext.Default.ListHistoryDocument), "application/json");
        });

        app.MapPost("/v1/check", async (HttpRequest request, CancellationToken token) =>
        {
            var dryRun = string.Equals(request.Query["dry_run"], "true", StringComparison.Ordinal);
            var units = request.Query["unit"].Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).ToList();
            try
            {
                var report = await runner.RunAsync(new PassRequest(dryRun, units), token).ConfigureAwait(false);
                return Results.Text(CliJson.Write(new CheckDocument(report.Units, report.DistinctImages, report.Duration.TotalSeconds, services.Registry.RequestCount, report.Summary),
                    CliJsonContext.Default.CheckDocument), "application/json");
            }
            catch (InvalidOperationException e)
            {
                return Results.Text(e.Message + "\n", "text/plain", statusCode: StatusCodes.Status409Conflict);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                // The daemon is stopping: the pass finished or rolled back its step and ended early.
                return Results.Text("the daemon is stopping; the pass ended after its current step\n", "text/plain", statusCode: StatusCodes.Status409Conflict);
            }
        });

        app.MapGet("/metrics", () => Results.Text(metrics.Render(services.History.QuarantineList().Count), "text/plain; version=0.0.4"));
    }

    private static uint? GroupId(string? group)
    {
        if (string.IsNullOrEmpty(group) || !File.Exists("/etc/group"))
        {
            return null;
        }
        var line = File.ReadLines("/etc/group").Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 3 && f[0] == group);
        return line is not null && uint.TryParse(line[2], CultureInfo.InvariantCulture, out var gid) ? gid : null;
    }
}
