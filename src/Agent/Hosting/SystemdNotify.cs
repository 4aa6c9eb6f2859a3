using UpdateAgent.Core;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace UpdateAgent.Hosting;

/// <summary>
/// The sd_notify side of the daemon. <c>AddSystemd()</c> switches itself on only when systemd is
/// the parent process, and then leaves <see cref="ISystemdNotifier"/> unregistered otherwise, so a
/// daemon started by hand would fail to resolve it. The protocol needs only <c>NOTIFY_SOCKET</c>:
/// with it, READY=1, STATUS= and STOPPING=1 go there whoever started us; without it, every
/// notification is a no-op and the host's ordinary console lifetime applies.
/// </summary>
internal static partial class SystemdNotify
{
    /// <summary>Registers the notifier (always) and the systemd lifetime (when there is a socket to tell).</summary>
    public static IServiceCollection AddSystemdNotify(this IServiceCollection services, ISystemdNotifier notifier)
    {
        services.AddSingleton(notifier);
        if (notifier.IsEnabled)
        {
            // Sends READY=1 once every hosted service has started (after the first discovery), and STOPPING=1 on SIGTERM.
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
        return services;
    }

    /// <summary>
    /// A notifier whose failures are logged, never thrown: a notify socket that went away (a
    /// supervisor restarted, a test harness stopped listening) must not fail a pass or a stop.
    /// </summary>
    public static ISystemdNotifier Tolerant(ISystemdNotifier inner, ILogger logger) => new TolerantNotifier(inner, logger);

    private sealed class TolerantNotifier(ISystemdNotifier inner, ILogger logger) : ISystemdNotifier
    {
        private int _failures;

        public bool IsEnabled => inner.IsEnabled;

        public void Notify(ServiceState state)
        {
            try
            {
                inner.Notify(state);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                // The first failure says why; repeating it every STATUS= line would flood the journal.
                if (Interlocked.Increment(ref _failures) == 1)
                {
                    NotifyFailed(logger, state.ToString(), e.Message);
                }
            }
        }
    }

    [LoggerMessage(EventId = (int)AgentEvent.DaemonNotifyFailed, EventName = nameof(AgentEvent.DaemonNotifyFailed), Level = LogLevel.Warning,
        Message = "systemd could not be told '{STATE}': {REASON}; the agent goes on, later failures are not logged")]
    private static partial void NotifyFailed(ILogger logger, string STATE, string REASON);
}
