using System.Text.RegularExpressions;
using UpdateAgent.Core;
using UpdateAgent.Testing;

namespace UpdateAgent.Tests;

/// <summary>
/// One table of events: every event ID the code logs is in <see cref="LogEvents"/> with a
/// MESSAGE_ID, and every MESSAGE_ID has an entry in units/update-agent.catalog (and no entry is
/// left over), so <c>journalctl -x</c> explains everything the agent says.
/// </summary>
public sealed partial class EventCatalogTests
{
    [Fact]
    public void Every_event_the_code_logs_is_in_the_table_and_explained_in_the_catalog()
    {
        var root = ProcessRunner.RepositoryRoot;
        var logged = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LoggedEventId().Matches(File.ReadAllText(f)).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToHashSet();
        Assert.NotEmpty(logged);
        var missingFromTable = logged.Where(id => !LogEvents.MessageIds.ContainsKey(id)).ToList();
        Assert.True(missingFromTable.Count == 0, $"logged but not in LogEvents.MessageIds: {string.Join(", ", missingFromTable)}");

        var catalog = File.ReadAllText(Path.Combine(root, "units", "update-agent.catalog"));
        var explained = CatalogEntry().Matches(catalog).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(explained.Count, explained.Distinct(StringComparer.Ordinal).Count());
        var unexplained = LogEvents.MessageIds.Where(e => !explained.Contains(e.Value)).Select(e => e.Key).ToList();
        Assert.True(unexplained.Count == 0, $"events without a catalog entry: {string.Join(", ", unexplained)}");
        var stray = explained.Where(id => !LogEvents.MessageIds.Values.Contains(id)).ToList();
        Assert.True(stray.Count == 0, $"catalog entries of no event: {string.Join(", ", stray)}");
    }

    [GeneratedRegex(@"EventId = (\d+)")]
    private static partial Regex LoggedEventId();

    [GeneratedRegex(@"^-- ([0-9a-f]{32})$", RegexOptions.Multiline)]
    private static partial Regex CatalogEntry();
}
