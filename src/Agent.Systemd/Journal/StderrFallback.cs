using System.Globalization;
using System.Text;

namespace UpdateAgent.Systemd.Journal;

/// <summary>
/// Writes entries as lines with sd-daemon priority prefixes (<c>&lt;3&gt;text</c>). When a service's
/// standard error is connected to the journal, systemd turns each such line into an entry with
/// that priority, so nothing is lost even if the native socket cannot be used.
/// </summary>
internal sealed class StderrFallback(TextWriter writer)
{
    private readonly Lock _gate = new();

    /// <summary>Writes the message and the exception, every line with the priority prefix.</summary>
    public void Write(int priority, ReadOnlySpan<byte> message, ReadOnlySpan<byte> exception)
    {
        var text = new StringBuilder();
        var prefix = string.Create(CultureInfo.InvariantCulture, $"<{priority}>");
        AppendLines(text, prefix, Encoding.UTF8.GetString(message));
        if (!exception.IsEmpty)
        {
            AppendLines(text, prefix, Encoding.UTF8.GetString(exception));
        }
        Emit(text.ToString());
    }

    /// <summary>Writes a note about the sink itself (why entries come this way).</summary>
    public void Notice(int priority, string text)
    {
        var line = new StringBuilder();
        AppendLines(line, string.Create(CultureInfo.InvariantCulture, $"<{priority}>"), text);
        Emit(line.ToString());
    }

    // Each line carries the prefix: systemd reads every line as an entry of its own, and a
    // continuation line without a prefix would get the unit's default priority.
    private static void AppendLines(StringBuilder text, string prefix, string value)
    {
        foreach (var line in value.Split('\n'))
        {
            text.Append(prefix).Append(line.TrimEnd('\r')).Append('\n');
        }
    }

    // One write per entry under a lock, so lines of entries from different threads never interleave.
    private void Emit(string text)
    {
        lock (_gate)
        {
            writer.Write(text);
            writer.Flush();
        }
    }
}
