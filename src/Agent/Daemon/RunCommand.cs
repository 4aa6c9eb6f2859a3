using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Serilog;
using UpdateAgent.Api;
using UpdateAgent.Core.Notifications;
using UpdateAgent.Core.Observability;
using UpdateAgent.Hosting;

namespace UpdateAgent.Daemon;

/// <summary>
/// <c>update-agent run</c>: the daemon, as a <c>Type=notify</c> systemd service. Configuration is
/// validated completely before anything starts; READY=1 is sent once interrupted updates are
/// resolved and the units discovered; STATUS= follows every pass and step; SIGTERM lets the
/// current step finish or roll back.
/// </summary>
internal static class RunCommand
{
    /// <summary>
    /// The longest a stop may take: the step in progress finishes or rolls back (a restart job and
    /// a health check at most), while the daemon asks systemd for the time past <c>TimeoutStopSec=</c>
    /// with <c>EXTEND_TIMEOUT_USEC=</c>. A daemon that hangs stops asking, and systemd kills it.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMinutes(30);

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var command = new Command("run", "Run the agent as a daemon (what update-agent.service starts)") { config };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(config), parse.InvocationConfiguration.Error, token));
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, TextWriter error, CancellationToken cancellationToken)
    {
        var context = AgentContext.Load(configFile, needPolicy: true);
        if (!context.Succeeded)
        {
            return context.Fail("run", error);
        }
        var settings = context.Settings;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        var journal = Logging.CreateJournalLogger();
        await using var journalScope = (IAsyncDisposable)journal;
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(journal);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(settings.ApiSocket));

        using var loggers = Logging.Factory(journal);
        var systemd = SystemdNotify.Tolerant(new NotifySocketNotifier(), loggers.CreateLogger("update-agent.systemd"));
        builder.Services.AddSystemdNotify(systemd);
        AgentServices services;
        try
        {
            PrepareSocket(settings.ApiSocket);
            services = await AgentServices.CreateAsync(settings, context.Policy!, loggers, cancellationToken, status: line => systemd.Notify(new ServiceState("STATUS=" + line))).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UpdateAgent.Systemd.SystemdConnectionException or UpdateAgent.Core.History.HistoryStoreException or IOException or FormatException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"update-agent run: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        await using (services.ConfigureAwait(false))
        {
            using var webhookHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            await using var notifier = settings.Webhook is { } url
                ? new WebhookNotifier(webhookHttp, url, settings.WebhookFormat, loggers.CreateLogger("update-agent.webhook"), TimeProvider.System)
                : null;
            var metrics = new AgentMetrics();
            builder.Services.AddSingleton(services);
            builder.Services.AddSingleton(metrics);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton(provider => new PassRunner(services, metrics, notifier, systemd, TimeProvider.System,
                provider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
            builder.Services.AddSingleton<OtherUpdaterWarning>();
            builder.Services.AddSingleton(new ApiSocketAccess(settings.ApiSocket, settings.ApiGroup));
            builder.Services.AddHostedService<AgentDaemon>();
            builder.Services.AddSingleton<ISystemdProbe>(new SystemdProbe(services.Systemd));
            builder.Services.AddHostedService<Watchdog>();
            await using var app = builder.Build();
            ApiEndpoints.Map(app, services, app.Services.GetRequiredService<PassRunner>(), metrics);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
    }

    // A socket left by a crashed daemon would make Kestrel fail to bind.
    private static void PrepareSocket(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
    }
}
