using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using UpdateAgent.Core;
using UpdateAgent.Systemd.Journal;

namespace UpdateAgent.Hosting;

/// <summary>
/// The daemon's logging: Serilog into journald's native protocol, every event with its fields
/// (UNIT=, IMAGE=, FROM_DIGEST=, TO_DIGEST=, VERDICT=, SIGNER=, REASON=) and a MESSAGE_ID from
/// <see cref="LogEvents"/>, so the journal catalog explains it. Without a journal socket the
/// sink writes priority-prefixed lines to standard error instead.
/// </summary>
internal static class Logging
{
    public static Serilog.ILogger CreateJournalLogger() => new LoggerConfiguration()
        .MinimumLevel.Information()
        // The web host's own chatter is not what operators query the journal for.
        .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
        .Enrich.FromLogContext()
        .WriteTo.Journal(new JournalSinkOptions { MessageIds = LogEvents.MessageIds, SyslogIdentifier = SyslogIdentifier(AgentScope.Current) })
        .CreateLogger();

    /// <summary>
    /// <c>update-agent</c>, or <c>update-agent@USER</c> for a user instance: hosts that forward the
    /// journal to syslog keep only this and the message, and must still tell whose unit a line is about.
    /// </summary>
    public static string SyslogIdentifier(AgentScope scope) =>
        scope.IsUser ? $"{JournalSinkOptions.DefaultSyslogIdentifier}@{scope.UserName}" : JournalSinkOptions.DefaultSyslogIdentifier;

    /// <summary>A logger factory over <paramref name="logger"/>, for services built before (or outside) the host.</summary>
    public static ILoggerFactory Factory(Serilog.ILogger logger) => new SerilogLoggerFactory(logger, dispose: false);
}
