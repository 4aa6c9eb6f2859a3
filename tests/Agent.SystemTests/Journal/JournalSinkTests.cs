using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using UpdateAgent.Core;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Systemd.Journal;

namespace UpdateAgent.SystemTests.Journal;

/// <summary>
/// Our journald sink against the guest's real journald: what it writes is read back with
/// <c>journalctl --all -o json</c> and compared field by field, byte for byte.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class JournalSinkTests(TestbedFixture testbed, ITestOutputHelper output)
{
    // Every byte value once: NUL, newline, and bytes that are not UTF-8 at all.
    private static readonly byte[] AllBytes = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];

    private static readonly Exception Thrown = MakeException();

    [Fact]
    public async Task Every_field_kind_reads_back_from_the_real_journal_as_it_was_written()
    {
        var testId = Guid.NewGuid().ToString("N");
        using var sink = new JournalSink(new JournalSinkOptions
        {
            SocketPath = testbed.JournalSocket,
            MessageIds = LogEvents.MessageIds,
        });
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger())
        {
            logger
                .ForContext("TESTID", testId)
                .ForContext("EventId", new { Id = (int)AgentEvent.UpdateRolledBack, Name = nameof(AgentEvent.UpdateRolledBack) }, destructureObjects: true)
                .ForContext(new RawBytes("Blob", AllBytes))
                .ForContext("Controls", "nul\0 esc\u001b tab\t end")
                .ForContext("Lines", "first\nsecond\n\nfourth")
                .ForContext("Text", "ümlaut, 🚀, = and \"quotes\"")
                .Error(Thrown, "Rolled back {Unit} from {FromDigest} to {ToDigest}\nhealth gate: {Count} failures",
                    "app.service", "sha256:aa11", "sha256:bb22", 3);
        }
        Assert.Equal((1L, 0L, 0L), (sink.DatagramEntries, sink.MemfdEntries, sink.FallbackEntries));

        var entry = await ReadBackAsync(testId);
        output.WriteLine($"as journalctl --all -o json gives them: {entry.Kinds()}");

        Assert.Equal("3", entry.Text("PRIORITY"));
        Assert.Equal("update-agent", entry.Text("SYSLOG_IDENTIFIER"));
        Assert.Equal(LogEvents.MessageId(AgentEvent.UpdateRolledBack), entry.Text("MESSAGE_ID"));
        Assert.Equal("Rolled back app.service from sha256:aa11 to sha256:bb22\nhealth gate: 3 failures", entry.Text("MESSAGE"));
        Assert.Equal(Thrown.ToString(), entry.Text("EXCEPTION"));
        Assert.Equal("1050", entry.Text("EVENT_ID"));
        Assert.Equal("UpdateRolledBack", entry.Text("EVENT_NAME"));
        Assert.Equal("app.service", entry.Text("UNIT"));
        Assert.Equal("sha256:aa11", entry.Text("FROM_DIGEST"));
        Assert.Equal("sha256:bb22", entry.Text("TO_DIGEST"));
        Assert.Equal("3", entry.Text("COUNT"));
        Assert.Equal(AllBytes, entry.Bytes("BLOB"));
        Assert.Equal("nul\0 esc\u001b tab\t end", entry.Text("CONTROLS"));
        Assert.Equal("first\nsecond\n\nfourth", entry.Text("LINES"));
        Assert.Equal("ümlaut, 🚀, = and \"quotes\"", entry.Text("TEXT"));
        Assert.Equal("journal", entry.Text("_TRANSPORT"));

        // What an operator types: the event kind's MESSAGE_ID and a field, as the README shows.
        var byMessageId = await ReadBackAsync(testId, $"MESSAGE_ID={LogEvents.MessageId(AgentEvent.UpdateRolledBack)}", "UNIT=app.service", "-t", "update-agent");
        Assert.Equal(entry.Text("MESSAGE"), byMessageId.Text("MESSAGE"));
    }

    [Fact]
    public async Task A_200_KB_message_and_an_oversized_field_arrive_through_a_memfd()
    {
        var testId = Guid.NewGuid().ToString("N");
        var message = string.Concat(Enumerable.Range(0, 200 * 1024 / 64).Select(i => $"{i:D6} of a 200 KB message, each line 64 bytes".PadRight(63, '.') + "\n"));
        Assert.Equal(200 * 1024, message.Length);
        var oversized = new string('o', (3 * JournalSinkOptions.DefaultMaxFieldBytes) / 2);
        using var sink = new JournalSink(new JournalSinkOptions { SocketPath = testbed.JournalSocket });
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            logger.ForContext("TESTID", testId)
                .ForContext(new RawBytes("Blob", AllBytes))
                .ForContext("Oversized", oversized)
                .Warning("{Message:l}", message);
        }
        output.WriteLine($"200 KB message: datagrams {sink.DatagramEntries}, memfds {sink.MemfdEntries}, fallbacks {sink.FallbackEntries}");
        Assert.Equal((0L, 1L, 0L), (sink.DatagramEntries, sink.MemfdEntries, sink.FallbackEntries));

        var entry = await ReadBackAsync(testId);

        Assert.Equal("4", entry.Text("PRIORITY"));
        Assert.Equal(message, entry.Text("MESSAGE"));
        Assert.Equal(AllBytes, entry.Bytes("BLOB"));
        var cut = entry.Text("OVERSIZED");
        Assert.Equal(JournalSinkOptions.DefaultMaxFieldBytes, Encoding.UTF8.GetByteCount(cut));
        Assert.EndsWith($" …[truncated: value exceeded {JournalSinkOptions.DefaultMaxFieldBytes} bytes]", cut, StringComparison.Ordinal);
        Assert.StartsWith("oooo", cut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_of_many_sizes_each_arrive_once_by_datagram_or_memfd()
    {
        var testId = Guid.NewGuid().ToString("N");
        int[] sizes = [1, 1000, 60 * 1024, 64 * 1024, 70 * 1024, 150 * 1024, 400 * 1024];
        using var sink = new JournalSink(new JournalSinkOptions { SocketPath = testbed.JournalSocket });
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            foreach (var size in sizes)
            {
                // The text is the template itself, so it is in the entry once (MESSAGE), not twice.
                logger.ForContext("TESTID", testId).ForContext("Size", size).Information(new string('s', size));
            }
        }
        output.WriteLine($"sizes {string.Join(", ", sizes)}: datagrams {sink.DatagramEntries}, memfds {sink.MemfdEntries}");
        Assert.Equal((3L, 4L, 0L), (sink.DatagramEntries, sink.MemfdEntries, sink.FallbackEntries));

        var entries = await ReadAllBackAsync(testId, sizes.Length);

        Assert.Equal(sizes, entries.Select(e => int.Parse(e.Text("SIZE"), System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(entries, e => Assert.Equal(new string('s', int.Parse(e.Text("SIZE"), System.Globalization.CultureInfo.InvariantCulture)), e.Text("MESSAGE")));
    }

    private async Task<JournalFields> ReadBackAsync(string testId, params string[] extraMatches) =>
        Assert.Single(await ReadAllBackAsync(testId, 1, extraMatches));

    /// <summary>
    /// Polls journalctl until <paramref name="count"/> entries with TESTID=<paramref name="testId"/>
    /// are there: journald stores a datagram shortly after it arrives, not before send returns.
    /// </summary>
    private async Task<List<JournalFields>> ReadAllBackAsync(string testId, int count, params string[] extraMatches)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = await testbed.RunInGuestAsync(["journalctl", "--all", "-o", "json", "--no-pager", $"TESTID={testId}", .. extraMatches]);
            result.EnsureSuccess("journalctl");
            var entries = result.StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => new JournalFields(JsonDocument.Parse(line).RootElement.Clone()))
                .ToList();
            if (entries.Count >= count || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.True(entries.Count == count, $"journalctl TESTID={testId} {string.Join(' ', extraMatches)}: {entries.Count} entries, wanted {count}");
                return entries;
            }
            await Task.Delay(200);
        }
    }

    private static Exception MakeException()
    {
        try
        {
            throw new InvalidOperationException("health gate failed: GET /health answered 503\nafter 3 attempts");
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    /// <summary>One journal entry as journalctl's JSON gives it.</summary>
    private sealed class JournalFields(JsonElement entry)
    {
        /// <summary>
        /// A field's value as bytes: journalctl writes text as a JSON string and a value with
        /// unprintable or non-UTF-8 bytes as an array of byte numbers.
        /// </summary>
        public byte[] Bytes(string name)
        {
            Assert.True(entry.TryGetProperty(name, out var value), $"no field {name} in {entry}");
            return value.ValueKind switch
            {
                JsonValueKind.String => Encoding.UTF8.GetBytes(value.GetString()!),
                JsonValueKind.Array when value.EnumerateArray().All(b => b.ValueKind == JsonValueKind.Number) =>
                    [.. value.EnumerateArray().Select(b => b.GetByte())],
                _ => throw new Xunit.Sdk.XunitException($"field {name} is {value.ValueKind}, not one value: {Shorten(value.ToString())}"),
            };
        }

        /// <summary>Each field and whether journalctl gave it as text or as bytes.</summary>
        public string Kinds() => string.Join(", ", entry.EnumerateObject()
            .Where(p => !p.Name.StartsWith("__", StringComparison.Ordinal))
            .Select(p => $"{p.Name}: {(p.Value.ValueKind == JsonValueKind.Array ? $"bytes[{p.Value.GetArrayLength()}]" : p.Value.ValueKind.ToString().ToLowerInvariant())}"));

        public string Text(string name) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Bytes(name));

        private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
    }

    /// <summary>Puts raw bytes into an event; Serilog itself would turn a byte array into hex text.</summary>
    private sealed class RawBytes(string name, byte[] value) : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
            logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(value)));
    }
}
