using System.Globalization;
using System.Text;
using Serilog;
using Serilog.Events;
using UpdateAgent.Systemd.Journal;
using static UpdateAgent.Systemd.Tests.Journal.JournalTestKit;

namespace UpdateAgent.Systemd.Tests.Journal;

public sealed class JournalEventFormatterTests
{
    private static readonly Dictionary<int, string> MessageIds = new()
    {
        [1020] = "6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b20",
    };

    private static JournalEventFormatter Formatter(int maxFieldBytes = JournalSinkOptions.DefaultMaxFieldBytes) =>
        new("update-agent", MessageIds, maxFieldBytes, CultureInfo.InvariantCulture);

    [Fact]
    public void An_event_with_an_event_id_is_encoded_byte_for_byte_with_its_message_id()
    {
        var logEvent = Capture(log => log.WithEventId(1020, "UpdateRefused")
            .Warning("Refused {Image} for {Unit}", "ghcr.io/app:latest", "app.service"));

        var entry = Formatter().Format(logEvent);

        Assert.Equal(
            "PRIORITY=4\n"
            + "SYSLOG_IDENTIFIER=update-agent\n"
            + "MESSAGE_ID=6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b20\n"
            + "MESSAGE=Refused ghcr.io/app:latest for app.service\n"
            + "EVENT_ID=1020\n"
            + "EVENT_NAME=UpdateRefused\n"
            + "IMAGE=ghcr.io/app:latest\n"
            + "UNIT=app.service\n",
            Encoding.UTF8.GetString(entry.Bytes.Span));
    }

    [Fact]
    public void An_event_id_without_a_message_id_still_gives_its_number_and_name()
    {
        var fields = Parse(Formatter().Format(Capture(log => log.WithEventId(4242, "Other").Information("x"))).Bytes.Span);

        Assert.DoesNotContain("MESSAGE_ID", fields.Names());
        Assert.Equal("4242", fields.Text("EVENT_ID"));
        Assert.Equal("Other", fields.Text("EVENT_NAME"));
        Assert.DoesNotContain("PROPERTY_EVENT_ID", fields.Names());
    }

    [Fact]
    public void A_plain_integer_event_id_selects_the_message_id_too()
    {
        var fields = Parse(Formatter().Format(Capture(log => log.ForContext("EventId", 1020).Information("x"))).Bytes.Span);

        Assert.Equal("6a1f3b1c9e2d4f0a8b7c5d3e2f1a0b20", fields.Text("MESSAGE_ID"));
        Assert.Equal("1020", fields.Text("EVENT_ID"));
    }

    [Fact]
    public void An_event_id_property_that_is_not_an_id_stays_an_ordinary_field()
    {
        var fields = Parse(Formatter().Format(Capture(log => log.ForContext("EventId", "abc").Information("x"))).Bytes.Span);

        Assert.DoesNotContain("MESSAGE_ID", fields.Names());
        Assert.Equal("abc", fields.Text("PROPERTY_EVENT_ID"));
    }

    [Fact]
    public void A_multi_line_message_and_the_exception_are_sent_binary_safe()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("health gate failed\nsecond line");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }
        var entry = Formatter().Format(Capture(log => log.Error(thrown, "Rolled back {Unit}\nto {Digest}", "app.service", "sha256:aa")));
        var bytes = entry.Bytes.ToArray();

        var fields = Parse(bytes);
        Assert.Equal("3", fields.Text("PRIORITY"));
        Assert.Equal("Rolled back app.service\nto sha256:aa", fields.Text("MESSAGE"));
        Assert.Equal(thrown.ToString(), fields.Text("EXCEPTION"));
        Assert.Contains("at UpdateAgent.Systemd.Tests.Journal", fields.Text("EXCEPTION"), StringComparison.Ordinal);
        var message = Encoding.UTF8.GetBytes("Rolled back app.service\nto sha256:aa");
        var binaryMessage = "MESSAGE\n"u8.ToArray().Concat(BitConverter.GetBytes((ulong)message.Length)).Concat(message).Append((byte)'\n').ToArray();
        Assert.True(bytes.AsSpan().IndexOf(binaryMessage) >= 0, "MESSAGE is in the binary-safe form");
    }

    [Fact]
    public void Property_values_are_rendered_for_people_and_byte_arrays_stay_bytes()
    {
        var when = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        byte[] blob = [0x00, 0x01, 0xfe, 0xff, 0x0a];
        var fields = Parse(Formatter().Format(Capture(log => log
            .WithRawProperty("Blob", new ScalarValue(blob))
            .ForContext("LoggedBytes", blob)
            .ForContext("Checked", when)
            .ForContext("Health", new { Status = "ok", Code = 200 }, destructureObjects: true)
            .ForContext("Digests", new[] { "sha256:aa", "sha256:bb" })
            .Information("{Unit} {Count} {Ratio} {Held} {Letter} {Nothing}", "app.service", 12, 0.5, true, 'x', null))).Bytes.Span);

        Assert.Equal("app.service 12 0.5 True x null", fields.Text("MESSAGE"));
        Assert.Equal("app.service", fields.Text("UNIT"));
        Assert.Equal("12", fields.Text("COUNT"));
        Assert.Equal("0.5", fields.Text("RATIO"));
        Assert.Equal("True", fields.Text("HELD"));
        Assert.Equal("x", fields.Text("LETTER"));
        Assert.Equal("null", fields.Text("NOTHING"));
        Assert.Equal(blob, fields.Bytes("BLOB"));
        Assert.Equal("0001FEFF0A", fields.Text("LOGGED_BYTES"));
        Assert.Equal("2025-03-04T05:06:07.0000000+00:00", fields.Text("CHECKED"));
        Assert.Equal("{ Status: \"ok\", Code: 200 }", fields.Text("HEALTH"));
        Assert.Equal("[\"sha256:aa\", \"sha256:bb\"]", fields.Text("DIGESTS"));
    }

    [Fact]
    public void Formats_and_alignment_in_the_template_are_honoured()
    {
        var fields = Parse(Formatter().Format(Capture(log =>
            log.Information("[{Left,-6}] [{Right,6}] {Ratio:P0} {Quoted:l}", "ab", "cd", 0.25, "q"))).Bytes.Span);

        Assert.Equal("[ab    ] [    cd] 25 % q", fields.Text("MESSAGE"));
    }

    [Fact]
    public void A_property_named_like_a_field_the_sink_writes_does_not_shadow_it()
    {
        var fields = Parse(Formatter().Format(Capture(log => log.ForContext("Message", "mine").ForContext("Priority", "high").Information("real"))).Bytes.Span);

        Assert.Equal("real", fields.Text("MESSAGE"));
        Assert.Equal("6", fields.Text("PRIORITY"));
        Assert.Equal("mine", fields.Text("PROPERTY_MESSAGE"));
        Assert.Equal("high", fields.Text("PROPERTY_PRIORITY"));
    }

    [Fact]
    public void A_value_over_the_cap_is_cut_and_says_so()
    {
        const int cap = 4096;
        var huge = new string('x', 10_000);
        var fields = Parse(Formatter(cap).Format(Capture(log => log.Information("{Huge}", huge))).Bytes.Span);

        var marker = FieldValues.TruncationMarker(cap);
        foreach (var name in new[] { "MESSAGE", "HUGE" })
        {
            var value = fields.Bytes(name);
            Assert.Equal(cap, value.Length);
            Assert.EndsWith(marker, Encoding.UTF8.GetString(value), StringComparison.Ordinal);
            Assert.StartsWith("xxxx", Encoding.UTF8.GetString(value), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_cut_never_splits_a_character()
    {
        const int cap = 1000;
        var text = string.Concat(Enumerable.Repeat("é🚀", 1000));
        var fields = Parse(Formatter(cap).Format(Capture(log => log.Information("{Text}", text))).Bytes.Span);

        var value = fields.Bytes("TEXT");
        Assert.True(value.Length <= cap);
        var decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
        Assert.EndsWith(FieldValues.TruncationMarker(cap), decoded, StringComparison.Ordinal);
        Assert.StartsWith("é🚀é🚀", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public void A_structure_over_the_cap_is_cut_while_rendering()
    {
        const int cap = 1024;
        var items = Enumerable.Range(0, 100_000).ToArray();
        var fields = Parse(Formatter(cap).Format(Capture(log => log.ForContext("Items", items).Information("x"))).Bytes.Span);

        var value = Encoding.UTF8.GetString(fields.Bytes("ITEMS"));
        Assert.Equal(cap, Encoding.UTF8.GetByteCount(value));
        Assert.StartsWith("[0, 1, 2", value, StringComparison.Ordinal);
        Assert.EndsWith(FieldValues.TruncationMarker(cap), value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_array_over_the_cap_is_cut_and_says_so()
    {
        var value = FieldValues.Bytes(new byte[5000], 1024);

        Assert.Equal(1024, value.Length);
        Assert.EndsWith(FieldValues.TruncationMarker(1024), Encoding.UTF8.GetString(value), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_exactly_at_the_cap_is_kept_whole()
    {
        var text = new string('y', 2048);

        Assert.Equal(Encoding.UTF8.GetBytes(text), FieldValues.Utf8(text, 2048));
    }

    [Fact]
    public void Every_level_is_sent_with_its_priority()
    {
        foreach (var (level, priority) in new[] { (LogEventLevel.Debug, "7"), (LogEventLevel.Fatal, "2") })
        {
            var fields = Parse(Formatter().Format(Capture(log => log.Write(level, "x"))).Bytes.Span);
            Assert.Equal(priority, fields.Text("PRIORITY"));
        }
    }

    [Fact]
    public void A_short_digest_in_the_message_keeps_the_full_digest_in_its_field()
    {
        var digest = "sha256:" + new string('a', 64);
        var fields = Parse(Formatter().Format(Capture(log => log.Information("{Unit}: now {To_Digest:short}, was {From_Digest:short}", "app.service", digest, "none"))).Bytes.Span);
        Assert.Equal("app.service: now sha256:aaaaaaaaaaaa…, was none", fields.Text("MESSAGE"));
        Assert.Equal(digest, fields.Text("TO_DIGEST"));
    }
}
