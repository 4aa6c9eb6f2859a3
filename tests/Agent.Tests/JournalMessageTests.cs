using System.Reflection;
using Microsoft.Extensions.Logging;

namespace UpdateAgent.Tests;

/// <summary>
/// Hosts that forward journald to syslog keep only MESSAGE, not the fields: every event's message
/// must stand alone. Each [LoggerMessage] of the agent is rendered with a distinct value per
/// parameter, and the text must contain every one — the unit, the image, the digests, the
/// verdict and the reason — not only the structured fields.
/// </summary>
public sealed class JournalMessageTests
{
    private sealed class Capture : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }

    private static IEnumerable<MethodInfo> LogMethods() =>
        new[] { typeof(Program).Assembly, typeof(Core.AgentEvent).Assembly, typeof(Podman.PodmanClient).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(m => m.GetCustomAttribute<LoggerMessageAttribute>() is not null);

    public static TheoryData<string> Events() => [.. LogMethods().Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")];

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_parameter_is_in_the_message_text(string name)
    {
        var method = LogMethods().Single(m => $"{m.DeclaringType!.FullName}.{m.Name}" == name);
        var logger = new Capture();
        var values = new List<string>();
        var arguments = method.GetParameters().Select(p =>
        {
            if (p.ParameterType == typeof(ILogger))
            {
                return (object?)logger;
            }
            if (p.ParameterType == typeof(string))
            {
                var value = $"<{p.Name}>";
                values.Add(value);
                return value;
            }
            if (p.ParameterType == typeof(int) || p.ParameterType == typeof(long))
            {
                values.Add("4711");
                return Convert.ChangeType(4711, p.ParameterType, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (p.ParameterType == typeof(double))
            {
                return 12.5;
            }
            throw new InvalidOperationException($"{name}: no test value for a {p.ParameterType.Name} parameter");
        }).ToArray();
        method.Invoke(null, arguments);
        var message = Assert.Single(logger.Messages);
        Assert.All(values, value => Assert.Contains(value, message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_engines_unit_events_are_all_covered()
    {
        var names = LogMethods().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["Refused", "Unverified", "Unmanageable", "Committed", "RolledBack", "Failed", "Step", "Recovered", "DiscoveryProblem"]), names);
    }

    private sealed class EventSink : Serilog.Core.ILogEventSink
    {
        public List<Serilog.Events.LogEvent> Logged { get; } = [];

        public void Emit(Serilog.Events.LogEvent logEvent) => Logged.Add(logEvent);
    }

    [Fact]
    public void Digests_reach_the_journal_sink_marked_short_for_the_message_and_whole_for_the_field()
    {
        var events = new EventSink();
        using var serilog = new Serilog.LoggerConfiguration().WriteTo.Sink(events).CreateLogger();
        using var factory = new Serilog.Extensions.Logging.SerilogLoggerFactory(serilog);
        var refused = LogMethods().Single(m => m.DeclaringType!.Name == "EngineLog" && m.Name == "Refused");
        var digest = "sha256:" + new string('b', 64);
        refused.Invoke(null, [factory.CreateLogger("test"), "app.service", "r/app:latest", digest, digest, "refused", "unsigned", "not-signed"]);
        var logged = Assert.Single(events.Logged);
        var token = logged.MessageTemplate.Tokens.OfType<Serilog.Parsing.PropertyToken>().Single(t => t.PropertyName == "TO_DIGEST");
        Assert.Equal("short", token.Format);
        Assert.Equal(digest, ((Serilog.Events.ScalarValue)logged.Properties["TO_DIGEST"]).Value);
    }
}
