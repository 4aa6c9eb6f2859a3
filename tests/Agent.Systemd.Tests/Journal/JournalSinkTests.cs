using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Serilog;
using Serilog.Events;
using UpdateAgent.Systemd.Journal;
using static UpdateAgent.Systemd.Tests.Journal.JournalTestKit;

namespace UpdateAgent.Systemd.Tests.Journal;

/// <summary>The sink against a Unix datagram socket the test binds in journald's place.</summary>
public sealed class JournalSinkTests(ITestOutputHelper output) : IDisposable
{
    private readonly UnixDatagramReceiver _journal = new();
    private readonly StringWriter _stderr = new();

    public void Dispose()
    {
        _journal.Dispose();
        _stderr.Dispose();
    }

    private JournalSinkOptions Options(int maxFieldBytes = JournalSinkOptions.DefaultMaxFieldBytes, int maxDatagramBytes = JournalSinkOptions.DefaultMaxDatagramBytes) => new()
    {
        SocketPath = _journal.Path,
        SyslogIdentifier = "sink-test",
        MessageIds = new Dictionary<int, string> { [1040] = "6A1F3B1C9E2D4F0A8B7C5D3E2F1A0B40" },
        MaxFieldBytes = maxFieldBytes,
        MaxDatagramBytes = maxDatagramBytes,
        FallbackWriter = _stderr,
    };

    [Fact]
    public void The_extension_sends_each_event_as_one_datagram()
    {
        using (var logger = new LoggerConfiguration().WriteTo.Journal(Options()).CreateLogger())
        {
            logger.WithEventId(1040, "UpdateCommitted").Information("Moved {Unit} to {ToDigest}", "app.service", "sha256:bb");
            logger.Debug("below the logger's minimum level, never sent");
            logger.Warning("second");
        }

        var first = _journal.Receive();
        Assert.Equal(0, first.DescriptorCount);
        var fields = Parse(first.Payload);
        Assert.Equal(
            ["PRIORITY", "SYSLOG_IDENTIFIER", "MESSAGE_ID", "MESSAGE", "EVENT_ID", "EVENT_NAME", "UNIT", "TO_DIGEST"],
            fields.Names());
        Assert.Equal("sink-test", fields.Text("SYSLOG_IDENTIFIER"));
        Assert.Equal("6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b40", fields.Text("MESSAGE_ID"));
        Assert.Equal("Moved app.service to sha256:bb", fields.Text("MESSAGE"));
        Assert.Equal("sha256:bb", fields.Text("TO_DIGEST"));
        Assert.Equal("second", Parse(_journal.Receive().Payload).Text("MESSAGE"));
        Assert.False(_journal.HasPending);
        Assert.Equal("", _stderr.ToString());
    }

    [Fact]
    public void An_entry_over_the_datagram_threshold_arrives_in_a_sealed_memfd_with_an_empty_payload()
    {
        using var sink = new JournalSink(Options());
        var message = new string('m', 200 * 1024);
        var logEvent = Capture(log => log.ForContext("Lines", "a\nb").Information("{Big}", message));

        sink.Emit(logEvent);

        var received = _journal.Receive();
        Assert.Empty(received.Payload);
        Assert.Equal(1, received.DescriptorCount);
        Assert.Equal(JournalNative.JournalSeals, received.MemfdSeals);
        var fields = Parse(received.Entry);
        Assert.Equal(message, fields.Text("MESSAGE"));
        Assert.Equal(message, fields.Text("BIG"));
        Assert.Equal("a\nb", fields.Text("LINES"));
        Assert.Equal((1L, 0L, 0L), (sink.MemfdEntries, sink.DatagramEntries, sink.FallbackEntries));
    }

    [Fact]
    public void An_entry_at_the_threshold_still_goes_as_a_datagram()
    {
        var logEvent = Capture(log => log.Information("{Text}", new string('t', 1000)));
        var size = new JournalEventFormatter("sink-test", new Dictionary<int, string>(), 1 << 20, CultureInfo.InvariantCulture).Format(logEvent).Length;
        using var sink = new JournalSink(Options(maxDatagramBytes: size));

        sink.Emit(logEvent);

        Assert.Equal(size, _journal.Receive().Payload.Length);
        Assert.Equal(1, sink.DatagramEntries);
    }

    [Fact]
    public void A_datagram_the_kernel_refuses_as_too_large_goes_through_a_memfd_instead()
    {
        // The send buffer the sink can get: it asks for 8 MiB, the kernel caps at wmem_max and doubles.
        var wmemMax = int.Parse(File.ReadAllText("/proc/sys/net/core/wmem_max").Trim(), CultureInfo.InvariantCulture);
        var sendBuffer = 2L * Math.Min(8 * 1024 * 1024, wmemMax);
        var size = checked((int)sendBuffer + (64 * 1024));
        using var sink = new JournalSink(Options(maxFieldBytes: size + 1024, maxDatagramBytes: int.MaxValue));
        var message = new string('z', size);

        sink.Emit(Capture(log => log.Information("{Big:l}", message)));
        sink.Emit(Capture(log => log.Information("{Big:l}", message)));

        Assert.Equal(message, Parse(_journal.Receive().Entry).Text("MESSAGE"));
        Assert.Equal(message, Parse(_journal.Receive().Entry).Text("MESSAGE"));
        Assert.Equal((2L, 0L), (sink.MemfdEntries, sink.DatagramEntries));
    }

    [Fact]
    public void The_default_threshold_is_well_below_the_largest_datagram_a_default_socket_can_send()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var target = new UnixDomainSocketEndPoint(_journal.Path);
        int good = 0, bad = 64 * 1024 * 1024;
        while (bad - good > 1)
        {
            var size = good + ((bad - good) / 2);
            try
            {
                socket.SendTo(new byte[size], target);
                Assert.Equal(size, _journal.Receive().Payload.Length);
                good = size;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                bad = size;
            }
        }
        output.WriteLine($"largest datagram on a default socket: {good} bytes (send buffer {socket.SendBufferSize}); threshold {JournalSinkOptions.DefaultMaxDatagramBytes}");

        Assert.True(JournalSinkOptions.DefaultMaxDatagramBytes * 3 < good, $"largest datagram {good}");
    }

    [Fact]
    public void Without_a_journal_socket_entries_go_to_stderr_with_priority_prefixes_and_one_notice()
    {
        var missing = Path.Combine(Path.GetDirectoryName(_journal.Path)!, "no-such-socket");
        using var sink = new JournalSink(Options() with { SocketPath = missing });

        sink.Emit(Capture(log => log.Error(new InvalidOperationException("boom"), "Rolled back {Unit}\nsee history", "app.service")));
        sink.Emit(Capture(log => log.Information("second")));

        var lines = _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"<4>journal sink: journald at {missing} did not take an entry of ", lines[0], StringComparison.Ordinal);
        Assert.Equal("<3>Rolled back app.service", lines[1]);
        Assert.Equal("<3>see history", lines[2]);
        Assert.Equal("<3>System.InvalidOperationException: boom", lines[3]);
        Assert.Equal("<6>second", lines[4]);
        Assert.Equal(5, lines.Length);
        Assert.Equal((2L, 0L), (sink.FallbackEntries, sink.DatagramEntries));
    }

    [Fact]
    public void A_journal_that_stops_and_comes_back_loses_no_entry()
    {
        using var sink = new JournalSink(Options());
        sink.Emit(Capture(log => log.Information("one")));
        Assert.Equal("one", Parse(_journal.Receive().Payload).Text("MESSAGE"));

        _journal.CloseKeepingFile();
        sink.Emit(Capture(log => log.Warning("two")));
        File.Delete(_journal.Path);
        using (var revived = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            revived.Bind(new UnixDomainSocketEndPoint(_journal.Path));
            sink.Emit(Capture(log => log.Information("three")));
            var buffer = new byte[4096];
            var length = revived.Receive(buffer);
            Assert.Equal("three", Parse(buffer.AsSpan(0, length)).Text("MESSAGE"));
        }
        sink.Emit(Capture(log => log.Information("four")));

        var lines = _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("<4>journal sink: journald at", lines[0], StringComparison.Ordinal);
        Assert.Equal("<4>two", lines[1]);
        Assert.StartsWith("<4>journal sink: journald at", lines[2], StringComparison.Ordinal);
        Assert.Equal("<6>four", lines[3]);
        Assert.Equal((2L, 2L), (sink.DatagramEntries, sink.FallbackEntries));
    }

    [Fact]
    public void A_failing_fallback_never_throws_into_the_caller()
    {
        using var sink = new JournalSink(Options() with { SocketPath = "/nonexistent/journal/socket", FallbackWriter = new BrokenWriter() });

        sink.Emit(Capture(log => log.Information("lost only to Serilog's self log")));

        Assert.Equal(1, sink.FallbackEntries);
    }

    [Fact]
    public void Events_after_dispose_go_to_the_fallback()
    {
        var sink = new JournalSink(Options());
        sink.Dispose();

        sink.Emit(Capture(log => log.Information("late")));

        Assert.EndsWith("<6>late\n", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_from_many_threads_arrive_whole()
    {
        const int threads = 8, perThread = 100;
        using var sink = new JournalSink(Options());
        var receiving = Task.Run(() => Enumerable.Range(0, threads * perThread).Select(_ => Parse(_journal.Receive().Payload).Text("MESSAGE")).ToList());

        Parallel.For(0, threads, t =>
        {
            for (var i = 0; i < perThread; i++)
            {
                sink.Emit(Capture(log => log.Information("thread {T} entry {I}\nsecond line", t, i)));
            }
        });

        var messages = await receiving;
        Assert.Equal(threads * perThread, messages.Distinct().Count());
        Assert.All(messages, m => Assert.EndsWith("\nsecond line", m, StringComparison.Ordinal));
    }

    [Fact]
    public void Unusable_options_are_refused_with_every_problem_listed()
    {
        var options = new JournalSinkOptions
        {
            SocketPath = "/run/" + new string('s', 120),
            SyslogIdentifier = "two\nlines",
            MaxFieldBytes = 10,
            MaxDatagramBytes = -1,
            MessageIds = new Dictionary<int, string> { [1] = "6a1f3b1c-9e2d-4f0a-8b7c-5d3e2f1a0b01", [2] = "xyz", [3] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b03" },
        };

        var error = Assert.Throws<ArgumentException>(() => new JournalSink(options));

        output.WriteLine(error.Message);
        Assert.Contains("longer than a Unix socket address allows", error.Message, StringComparison.Ordinal);
        Assert.Contains("SyslogIdentifier", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFieldBytes is 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDatagramBytes is -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("MessageIds[1] is '6a1f3b1c-9e2d-4f0a-8b7c-5d3e2f1a0b01'", error.Message, StringComparison.Ordinal);
        Assert.Contains("MessageIds[2] is 'xyz'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MessageIds[3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_options_are_usable()
    {
        Assert.Empty(new JournalSinkOptions().Validate());
        Assert.Equal("/run/systemd/journal/socket", new JournalSinkOptions().SocketPath);
        Assert.Equal("update-agent", new JournalSinkOptions().SyslogIdentifier);
    }

    private sealed class BrokenWriter : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(string? value) => throw new IOException("stderr is closed");
    }
}
