using System.Globalization;
using System.Text;

namespace UpdateAgent.Systemd.Journal;

/// <summary>How <see cref="JournalSink"/> writes to journald. Every property has a working default.</summary>
public sealed record JournalSinkOptions
{
    /// <summary>journald's native protocol socket on every systemd host.</summary>
    public const string DefaultSocketPath = "/run/systemd/journal/socket";

    /// <summary>The default <see cref="SyslogIdentifier"/>.</summary>
    public const string DefaultSyslogIdentifier = "update-agent";

    /// <summary>The default <see cref="MaxFieldBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxFieldBytes = 1024 * 1024;

    /// <summary>
    /// The default <see cref="MaxDatagramBytes"/>: 64 KiB. The kernel refuses a datagram larger
    /// than the sending socket's buffer (<c>net.core.wmem_default</c>, about 208 KiB on common
    /// kernels), and until journald reads a datagram it occupies that buffer, so a few large ones
    /// in a row would block the caller while journald is busy. Well below that, a memfd costs a
    /// handful of system calls for an entry that is rare anyway.
    /// </summary>
    public const int DefaultMaxDatagramBytes = 64 * 1024;

    /// <summary>Path of journald's native socket (<c>AF_UNIX</c>, <c>SOCK_DGRAM</c>). Default <see cref="DefaultSocketPath"/>.</summary>
    public string SocketPath { get; init; } = DefaultSocketPath;

    /// <summary>The <c>SYSLOG_IDENTIFIER=</c> of every entry, what <c>journalctl -t</c> matches. Default <see cref="DefaultSyslogIdentifier"/>.</summary>
    public string SyslogIdentifier { get; init; } = DefaultSyslogIdentifier;

    /// <summary>
    /// <c>MESSAGE_ID=</c> per event ID (the <c>Id</c> of Microsoft.Extensions.Logging's
    /// <c>EventId</c>): 32 hexadecimal digits, no dashes. Events whose ID is not listed get no
    /// <c>MESSAGE_ID</c>. Upper-case digits are written lower-case, as journald prints IDs.
    /// </summary>
    public IReadOnlyDictionary<int, string> MessageIds { get; init; } = new Dictionary<int, string>();

    /// <summary>The most bytes one field value may take; a longer value is cut and says so at its end. Default <see cref="DefaultMaxFieldBytes"/>.</summary>
    public int MaxFieldBytes { get; init; } = DefaultMaxFieldBytes;

    /// <summary>
    /// Entries larger than this go to journald in a sealed memfd instead of a datagram. A datagram
    /// the kernel refuses as too large goes through a memfd as well, whatever this says.
    /// Default <see cref="DefaultMaxDatagramBytes"/>.
    /// </summary>
    public int MaxDatagramBytes { get; init; } = DefaultMaxDatagramBytes;

    /// <summary>Formats numbers and other values in messages and fields. Default: the invariant culture.</summary>
    public IFormatProvider FormatProvider { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>
    /// Where an entry goes, as <c>&lt;N&gt;</c>-prefixed lines, when journald cannot take it.
    /// Default: standard error, which systemd itself connects to the journal for a service.
    /// </summary>
    public TextWriter? FallbackWriter { get; init; }

    /// <summary>Every problem with these options, one line each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(SocketPath))
        {
            problems.Add("SocketPath is empty");
        }
        else if (Encoding.UTF8.GetByteCount(SocketPath) > JournalNative.MaxSocketPathBytes)
        {
            problems.Add($"SocketPath '{SocketPath}' is longer than a Unix socket address allows ({JournalNative.MaxSocketPathBytes} bytes)");
        }
        if (string.IsNullOrWhiteSpace(SyslogIdentifier) || SyslogIdentifier.Any(char.IsControl))
        {
            problems.Add($"SyslogIdentifier '{SyslogIdentifier}' must be non-empty text without control characters");
        }
        if (MaxFieldBytes < FieldValues.MinimumCap)
        {
            problems.Add($"MaxFieldBytes is {MaxFieldBytes}; it must be at least {FieldValues.MinimumCap}");
        }
        if (MaxDatagramBytes < 0)
        {
            problems.Add($"MaxDatagramBytes is {MaxDatagramBytes}; it must not be negative (0 sends every entry through a memfd)");
        }
        if (FormatProvider is null)
        {
            problems.Add("FormatProvider is null");
        }
        if (MessageIds is null)
        {
            problems.Add("MessageIds is null");
        }
        else
        {
            foreach (var (eventId, messageId) in MessageIds.OrderBy(pair => pair.Key))
            {
                if (!IsMessageId(messageId))
                {
                    problems.Add($"MessageIds[{eventId}] is '{messageId}'; a MESSAGE_ID is 32 hexadecimal digits without dashes");
                }
            }
        }
        return problems;
    }

    private static bool IsMessageId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigit);
}
