using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;

namespace UpdateAgent.Systemd.Journal;

/// <summary>
/// Turns a Serilog event into journal fields: <c>PRIORITY</c>, <c>SYSLOG_IDENTIFIER</c>,
/// <c>MESSAGE_ID</c> (from the event ID), <c>MESSAGE</c>, <c>EXCEPTION</c>, <c>EVENT_ID</c>,
/// <c>EVENT_NAME</c> and one field per property. Every value is capped.
/// </summary>
internal sealed class JournalEventFormatter(
    string syslogIdentifier,
    IReadOnlyDictionary<int, string> messageIds,
    int maxFieldBytes,
    IFormatProvider formatProvider)
{
    /// <summary>The property Microsoft.Extensions.Logging's <c>EventId</c> arrives in when bridged to Serilog.</summary>
    public const string EventIdProperty = "EventId";

    /// <summary>The whole entry, ready to send.</summary>
    public JournalEntry Format(LogEvent logEvent)
    {
        var entry = new JournalEntry();
        entry.Add("PRIORITY", JournalPriority.From(logEvent.Level).ToString(CultureInfo.InvariantCulture));
        entry.Add("SYSLOG_IDENTIFIER", syslogIdentifier);

        var eventId = ReadEventId(logEvent);
        if (eventId.Id is int id && messageIds.TryGetValue(id, out var messageId))
        {
            entry.Add("MESSAGE_ID", messageId);
        }
        entry.Add("MESSAGE", RenderMessage(logEvent));
        if (logEvent.Exception is not null)
        {
            entry.Add("EXCEPTION", RenderException(logEvent.Exception));
        }
        if (eventId.Id is int known)
        {
            entry.Add("EVENT_ID", known.ToString(CultureInfo.InvariantCulture));
        }
        if (eventId.Name is not null)
        {
            entry.Add("EVENT_NAME", FieldValues.Utf8(eventId.Name, maxFieldBytes));
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            if (name == EventIdProperty && eventId.Id is not null)
            {
                continue;
            }
            entry.Add(JournalFieldNames.FromPropertyName(name), RenderValue(value));
        }
        return entry;
    }

    /// <summary>
    /// The message with its properties filled in. Strings go in without Serilog's quotes: the
    /// journal is read by people, and <c>refused ghcr.io/app:latest</c> reads better quoted not at all.
    /// </summary>
    public byte[] RenderMessage(LogEvent logEvent) => FieldValues.Rendered(writer =>
    {
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property
                && property.Format is null or ShortFormat
                && logEvent.Properties.TryGetValue(property.PropertyName, out var value)
                && TryGetText(value, out var text))
            {
                WritePadded(writer, property.Format is ShortFormat ? ShortDigest(text) : text, property.Alignment);
            }
            else
            {
                token.Render(logEvent.Properties, writer, formatProvider);
            }
        }
    }, maxFieldBytes);

    /// <summary>
    /// The template format <c>{FROM_DIGEST:short}</c>: the message shows <c>sha256:</c> and the first
    /// twelve hex digits then <c>…</c>, short enough to read in syslog, while the field keeps the full digest.
    /// </summary>
    public const string ShortFormat = "short";

    /// <summary>A digest as <see cref="ShortFormat"/> shows it; any other text as it is.</summary>
    public static string ShortDigest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const int Keep = 7 + 12;
        return text.StartsWith("sha256:", StringComparison.Ordinal) && text.Length > Keep ? text[..Keep] + "…" : text;
    }

    // {Name,10} and {Name,-10} pad as they would with Serilog's own rendering.
    private static void WritePadded(TextWriter writer, string text, Alignment? alignment)
    {
        var padding = alignment is { } a ? Math.Max(a.Width - text.Length, 0) : 0;
        if (alignment?.Direction == AlignmentDirection.Right)
        {
            writer.Write(new string(' ', padding));
        }
        writer.Write(text);
        if (alignment?.Direction == AlignmentDirection.Left)
        {
            writer.Write(new string(' ', padding));
        }
    }

    /// <summary>The exception with its stack trace and inner exceptions, as <see cref="Exception.ToString"/> gives it.</summary>
    public byte[] RenderException(Exception exception) => FieldValues.Utf8(exception.ToString(), maxFieldBytes);

    /// <summary>
    /// A property's value: strings and characters as they are, byte arrays as raw bytes (binary
    /// fields), times in ISO 8601, everything else as Serilog renders it. Serilog itself turns a
    /// logged <c>byte[]</c> into hex text; raw bytes arrive only in a <see cref="ScalarValue"/>
    /// that an enricher builds.
    /// </summary>
    public byte[] RenderValue(LogEventPropertyValue value)
    {
        if (value is ScalarValue { Value: byte[] bytes })
        {
            return FieldValues.Bytes(bytes, maxFieldBytes);
        }
        if (TryGetText(value, out var text))
        {
            return FieldValues.Utf8(text, maxFieldBytes);
        }
        return FieldValues.Rendered(writer => value.Render(writer, null, formatProvider), maxFieldBytes);
    }

    private static bool TryGetText(LogEventPropertyValue value, out string text)
    {
        switch (value)
        {
            case ScalarValue { Value: string s }:
                text = s;
                return true;
            case ScalarValue { Value: char c }:
                text = c.ToString();
                return true;
            case ScalarValue { Value: DateTimeOffset dto }:
                text = dto.ToString("O", CultureInfo.InvariantCulture);
                return true;
            case ScalarValue { Value: DateTime dt }:
                text = dt.ToString("O", CultureInfo.InvariantCulture);
                return true;
            default:
                text = "";
                return false;
        }
    }

    /// <summary>
    /// The event ID as Serilog.Extensions.Logging captures Microsoft.Extensions.Logging's
    /// <c>EventId</c>: a structure with <c>Id</c> and, when set, <c>Name</c>. A plain integer
    /// property is accepted too. Anything else is not an event ID and stays an ordinary property.
    /// </summary>
    public static (int? Id, string? Name) ReadEventId(LogEvent logEvent)
    {
        if (!logEvent.Properties.TryGetValue(EventIdProperty, out var value))
        {
            return (null, null);
        }
        switch (value)
        {
            case ScalarValue { Value: int plain }:
                return (plain, null);
            case StructureValue structure:
                int? id = null;
                string? name = null;
                foreach (var property in structure.Properties)
                {
                    switch (property)
                    {
                        case { Name: "Id", Value: ScalarValue { Value: int i } }:
                            id = i;
                            break;
                        case { Name: "Name", Value: ScalarValue { Value: string n } }:
                            name = n;
                            break;
                    }
                }
                return id is null ? (null, null) : (id, name);
            default:
                return (null, null);
        }
    }
}
