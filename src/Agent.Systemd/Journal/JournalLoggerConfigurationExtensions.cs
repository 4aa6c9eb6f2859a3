using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace UpdateAgent.Systemd.Journal;

/// <summary>Adds <see cref="JournalSink"/> to a Serilog configuration: <c>.WriteTo.Journal(…)</c>.</summary>
public static class JournalLoggerConfigurationExtensions
{
    /// <summary>
    /// Writes events to journald's native socket as structured entries. The logger owns the sink
    /// and closes it when the logger is disposed.
    /// </summary>
    /// <param name="sinkConfiguration">Serilog's <c>WriteTo</c>.</param>
    /// <param name="options">Socket, identifier, <c>MESSAGE_ID</c> table, caps; defaults when null.</param>
    /// <param name="restrictedToMinimumLevel">The lowest level this sink receives.</param>
    /// <param name="levelSwitch">Changes the sink's lowest level at run time; overrides <paramref name="restrictedToMinimumLevel"/>.</param>
    /// <returns>The configuration, to chain further calls.</returns>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public static LoggerConfiguration Journal(
        this LoggerSinkConfiguration sinkConfiguration,
        JournalSinkOptions? options = null,
        LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum,
        LoggingLevelSwitch? levelSwitch = null)
    {
        ArgumentNullException.ThrowIfNull(sinkConfiguration);
        return sinkConfiguration.Sink(new JournalSink(options), restrictedToMinimumLevel, levelSwitch);
    }
}
