using Serilog.Events;
using UpdateAgent.Systemd.Journal;

namespace UpdateAgent.Systemd.Tests.Journal;

public sealed class JournalFieldNamesTests
{
    [Theory]
    [InlineData("Unit", "UNIT")]
    [InlineData("FromDigest", "FROM_DIGEST")]
    [InlineData("fromDigest", "FROM_DIGEST")]
    [InlineData("FROM_DIGEST", "FROM_DIGEST")]
    [InlineData("SourceContext", "SOURCE_CONTEXT")]
    [InlineData("HTTPStatus", "HTTP_STATUS")]
    [InlineData("Sha256Digest", "SHA256_DIGEST")]
    [InlineData("image.ref", "IMAGE_REF")]
    [InlineData("a  b--c", "A_B_C")]
    [InlineData("_Private", "PRIVATE")]
    [InlineData("__CURSOR", "CURSOR")]
    [InlineData("{OriginalFormat}", "ORIGINAL_FORMAT")]
    [InlineData("2fa", "FIELD_2FA")]
    [InlineData("größe", "GR_E")]
    [InlineData("ünit", "NIT")]
    [InlineData("___", "FIELD")]
    [InlineData("Message", "PROPERTY_MESSAGE")]
    [InlineData("Priority", "PROPERTY_PRIORITY")]
    [InlineData("MessageId", "PROPERTY_MESSAGE_ID")]
    [InlineData("Exception", "PROPERTY_EXCEPTION")]
    [InlineData("SyslogIdentifier", "PROPERTY_SYSLOG_IDENTIFIER")]
    [InlineData("EventName", "PROPERTY_EVENT_NAME")]
    [InlineData("CodeFile", "CODE_FILE")]
    public void Property_names_become_valid_journal_field_names(string property, string field)
    {
        var mapped = JournalFieldNames.FromPropertyName(property);

        Assert.Equal(field, mapped);
        Assert.True(JournalFieldNames.IsValid(mapped));
    }

    [Fact]
    public void A_long_name_is_cut_to_the_64_characters_journald_allows()
    {
        var mapped = JournalFieldNames.FromPropertyName(new string('a', 30) + "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");

        Assert.Equal(64, mapped.Length);
        Assert.True(JournalFieldNames.IsValid(mapped));
    }

    [Fact]
    public void Any_name_at_all_maps_to_a_valid_one()
    {
        var random = new Random(6);
        for (var i = 0; i < 2000; i++)
        {
            var name = new string([.. Enumerable.Range(0, random.Next(0, 90)).Select(_ => (char)random.Next(0, 0x3000))]);

            Assert.True(JournalFieldNames.IsValid(JournalFieldNames.FromPropertyName(name)), $"'{name}'");
        }
    }

    [Theory]
    [InlineData(LogEventLevel.Verbose, 7)]
    [InlineData(LogEventLevel.Debug, 7)]
    [InlineData(LogEventLevel.Information, 6)]
    [InlineData(LogEventLevel.Warning, 4)]
    [InlineData(LogEventLevel.Error, 3)]
    [InlineData(LogEventLevel.Fatal, 2)]
    public void Serilog_levels_map_to_syslog_priorities(LogEventLevel level, int priority)
    {
        Assert.Equal(priority, JournalPriority.From(level));
    }
}
