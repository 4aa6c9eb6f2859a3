using System.Text;
using UpdateAgent.Systemd.Journal;

namespace UpdateAgent.Systemd.Tests.Journal;

public sealed class JournalEntryTests
{
    [Fact]
    public void A_value_without_newline_is_written_as_name_equals_value()
    {
        var entry = new JournalEntry();
        entry.Add("PRIORITY", "6");
        entry.Add("UNIT", "app.service");

        Assert.Equal("PRIORITY=6\nUNIT=app.service\n"u8.ToArray(), entry.Bytes.ToArray());
    }

    [Fact]
    public void A_multi_line_value_is_written_binary_safe_exactly_as_the_protocol_example()
    {
        // The 63-byte example from the native protocol reference (PRIORITY, SYSLOG_IDENTIFIER, MESSAGE "line1\nline2").
        byte[] expected =
        [
            0x50, 0x52, 0x49, 0x4f, 0x52, 0x49, 0x54, 0x59, 0x3d, 0x36, 0x0a, 0x53, 0x59, 0x53, 0x4c, 0x4f,
            0x47, 0x5f, 0x49, 0x44, 0x45, 0x4e, 0x54, 0x49, 0x46, 0x49, 0x45, 0x52, 0x3d, 0x61, 0x67, 0x65,
            0x6e, 0x74, 0x0a, 0x4d, 0x45, 0x53, 0x53, 0x41, 0x47, 0x45, 0x0a, 0x0b, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x6c, 0x69, 0x6e, 0x65, 0x31, 0x0a, 0x6c, 0x69, 0x6e, 0x65, 0x32, 0x0a,
        ];
        var entry = new JournalEntry();
        entry.Add("PRIORITY", "6");
        entry.Add("SYSLOG_IDENTIFIER", "agent");
        entry.Add("MESSAGE", "line1\nline2");

        Assert.Equal(63, entry.Length);
        Assert.Equal(expected, entry.Bytes.ToArray());
    }

    [Fact]
    public void Bytes_that_are_not_text_are_written_binary_safe_with_their_length()
    {
        var entry = new JournalEntry();
        entry.Add("BLOB", [0x00, 0xff, 0x01]);

        Assert.Equal("BLOB\n"u8.ToArray().Concat(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xff, 0x01, 0x0a }), entry.Bytes.ToArray());
    }

    [Theory]
    [InlineData("tab\tstays text", false)]
    [InlineData("equals=stays text", false)]
    [InlineData("ümlaut and 🚀 stay text", false)]
    [InlineData("", false)]
    [InlineData("new\nline", true)]
    [InlineData("carriage\rreturn", true)]
    [InlineData("nul\0byte", true)]
    [InlineData("escape\u001b[0m", true)]
    [InlineData("delete\u007f", true)]
    public void Only_values_with_control_bytes_other_than_tab_use_the_binary_form(string value, bool binary)
    {
        Assert.Equal(binary, JournalEntry.NeedsBinaryForm(Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void An_empty_value_is_a_field_with_nothing_after_the_equals_sign()
    {
        var entry = new JournalEntry();
        entry.Add("EMPTY", "");

        Assert.Equal("EMPTY=\n"u8.ToArray(), entry.Bytes.ToArray());
    }

    [Theory]
    [InlineData("lower")]
    [InlineData("_TRUSTED")]
    [InlineData("1DIGIT")]
    [InlineData("WITH-DASH")]
    [InlineData("")]
    public void A_name_journald_would_drop_is_refused_rather_than_sent(string name)
    {
        var entry = new JournalEntry();

        var error = Assert.Throws<ArgumentException>(() => entry.Add(name, "x"));
        Assert.Contains("not a valid journal field name", error.Message, StringComparison.Ordinal);
    }
}
