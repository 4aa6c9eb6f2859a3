using Serilog.Events;

namespace UpdateAgent.Systemd.Journal;

/// <summary>Serilog levels as syslog priorities (0 emerg … 7 debug), the <c>PRIORITY=</c> field and the <c>&lt;N&gt;</c> prefix.</summary>
internal static class JournalPriority
{
    /// <summary>The syslog priority for <paramref name="level"/>.</summary>
    public static int From(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => 7,
        LogEventLevel.Debug => 7,
        LogEventLevel.Information => 6,
        LogEventLevel.Warning => 4,
        LogEventLevel.Error => 3,
        // crit, not emerg: journald forwards emerg to every logged-in terminal (ForwardToWall=),
        // and one failing daemon does not make the whole system unusable.
        LogEventLevel.Fatal => 2,
        _ => 6,
    };
}
