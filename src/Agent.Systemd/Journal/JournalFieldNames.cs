using System.Text;

namespace UpdateAgent.Systemd.Journal;

/// <summary>
/// Turns Serilog property names into names journald accepts: 1..64 characters of <c>A-Z</c>,
/// <c>0-9</c> and <c>_</c>, not starting with a digit or <c>_</c>. journald silently drops a
/// field whose name breaks these rules, so every name must be mapped, never passed through.
/// </summary>
internal static class JournalFieldNames
{
    /// <summary>journald's limit on a field name's length.</summary>
    public const int MaxLength = 64;

    /// <summary>Names the sink writes itself; a property mapping to one of them gets <see cref="CollisionPrefix"/>.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "MESSAGE_ID", "EXCEPTION", "EVENT_ID", "EVENT_NAME",
    };

    /// <summary>Put before a property name that would otherwise shadow a field the sink writes.</summary>
    public const string CollisionPrefix = "PROPERTY_";

    /// <summary>Put before a name that would start with a digit, or stands for a name with no usable character.</summary>
    public const string InvalidStartPrefix = "FIELD_";

    /// <summary>
    /// Maps <paramref name="propertyName"/>: PascalCase and camelCase words are split with <c>_</c>
    /// (<c>FromDigest</c> → <c>FROM_DIGEST</c>, <c>HTTPStatus</c> → <c>HTTP_STATUS</c>) so the
    /// fields read like systemd's own; other characters become <c>_</c>; leading <c>_</c> is
    /// stripped because journald reserves those names for trusted fields it adds itself.
    /// </summary>
    public static string FromPropertyName(string propertyName)
    {
        var name = new StringBuilder(propertyName.Length + 8);
        for (var i = 0; i < propertyName.Length; i++)
        {
            var c = propertyName[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                AppendSeparator(name);
                continue;
            }
            if (char.IsAsciiLetterUpper(c) && i > 0 && StartsWord(propertyName, i))
            {
                AppendSeparator(name);
            }
            name.Append(char.ToUpperInvariant(c));
        }

        var mapped = name.ToString().Trim('_');
        if (mapped.Length == 0)
        {
            return InvalidStartPrefix.TrimEnd('_');
        }
        if (char.IsAsciiDigit(mapped[0]))
        {
            mapped = InvalidStartPrefix + mapped;
        }
        if (Reserved.Contains(mapped))
        {
            mapped = CollisionPrefix + mapped;
        }
        return mapped.Length <= MaxLength ? mapped : mapped[..MaxLength].TrimEnd('_');
    }

    /// <summary>True when <paramref name="name"/> is a name journald keeps, as sent by a client.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && char.IsAsciiLetterUpper(name[0])
        && name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');

    // An upper-case letter starts a word after a lower-case letter or digit ("fromDigest",
    // "Sha256Digest"), or ends a run of capitals when a lower-case letter follows ("HTTPStatus").
    private static bool StartsWord(string s, int i)
    {
        var previous = s[i - 1];
        if (char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous))
        {
            return true;
        }
        return char.IsAsciiLetterUpper(previous) && i + 1 < s.Length && char.IsAsciiLetterLower(s[i + 1]);
    }

    // One separator for any run of separators, so "a  b" and "a__b" both read A_B.
    private static void AppendSeparator(StringBuilder name)
    {
        if (name.Length > 0 && name[^1] != '_')
        {
            name.Append('_');
        }
    }
}
