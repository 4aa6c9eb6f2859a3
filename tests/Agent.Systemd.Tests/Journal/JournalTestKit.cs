using System.Buffers.Binary;
using System.Text;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace UpdateAgent.Systemd.Tests.Journal;

/// <summary>Captures Serilog events as the pipeline builds them, and reads native-protocol entries back.</summary>
internal static class JournalTestKit
{
    /// <summary>The one event <paramref name="write"/> logs, with its properties captured by Serilog itself.</summary>
    public static LogEvent Capture(Action<ILogger> write)
    {
        var sink = new CaptureSink();
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger())
        {
            write(logger);
        }
        return Assert.Single(sink.Events);
    }

    /// <summary>
    /// Microsoft.Extensions.Logging's EventId as Serilog.Extensions.Logging hands it on: a structure
    /// with Id and Name.
    /// </summary>
    public static ILogger WithEventId(this ILogger logger, int id, string name) =>
        logger.ForContext("EventId", new { Id = id, Name = name }, destructureObjects: true);

    /// <summary>
    /// Adds a property with exactly <paramref name="value"/>. Serilog turns a logged byte array into
    /// hex text; raw bytes reach a sink only as a <see cref="ScalarValue"/> built like this one.
    /// </summary>
    public static ILogger WithRawProperty(this ILogger logger, string name, LogEventPropertyValue value) =>
        logger.ForContext(new RawProperty(name, value));

    /// <summary>
    /// Parses a serialized entry the way journald does: <c>NAME=value\n</c>, or <c>NAME\n</c> +
    /// u64 LE length + bytes + <c>\n</c>. Fails on anything malformed.
    /// </summary>
    public static List<KeyValuePair<string, byte[]>> Parse(ReadOnlySpan<byte> entry)
    {
        var fields = new List<KeyValuePair<string, byte[]>>();
        while (!entry.IsEmpty)
        {
            var end = entry.IndexOfAny((byte)'=', (byte)'\n');
            Assert.True(end > 0, $"field without name or terminator at {Encoding.UTF8.GetString(entry[..Math.Min(40, entry.Length)])}");
            var name = Encoding.ASCII.GetString(entry[..end]);
            if (entry[end] == (byte)'=')
            {
                var rest = entry[(end + 1)..];
                var newline = rest.IndexOf((byte)'\n');
                Assert.True(newline >= 0, $"text field {name} is not terminated");
                fields.Add(new(name, rest[..newline].ToArray()));
                entry = rest[(newline + 1)..];
            }
            else
            {
                var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(entry[(end + 1)..]));
                var value = entry.Slice(end + 9, length);
                Assert.Equal((byte)'\n', entry[end + 9 + length]);
                fields.Add(new(name, value.ToArray()));
                entry = entry[(end + 10 + length)..];
            }
        }
        return fields;
    }

    /// <summary>The only value of <paramref name="name"/>, as UTF-8 text.</summary>
    public static string Text(this List<KeyValuePair<string, byte[]>> fields, string name) =>
        Encoding.UTF8.GetString(fields.Bytes(name));

    /// <summary>The only value of <paramref name="name"/>.</summary>
    public static byte[] Bytes(this List<KeyValuePair<string, byte[]>> fields, string name) =>
        Assert.Single(fields, field => field.Key == name).Value;

    /// <summary>The field names, in order.</summary>
    public static string[] Names(this List<KeyValuePair<string, byte[]>> fields) => [.. fields.Select(field => field.Key)];

    private sealed class RawProperty(string name, LogEventPropertyValue value) : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
            logEvent.AddOrUpdateProperty(new LogEventProperty(name, value));
    }

    private sealed class CaptureSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
