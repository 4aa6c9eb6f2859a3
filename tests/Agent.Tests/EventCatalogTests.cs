using System.Text.RegularExpressions;
using UpdateAgent.Core;
using UpdateAgent.Testing;

namespace UpdateAgent.Tests;

/// <summary>
/// One table of events: every event the code logs is an <see cref="AgentEvent"/> with a
/// MESSAGE_ID, and every MESSAGE_ID has an entry in units/update-agent.catalog (and no entry is
/// left over), so <c>journalctl -x</c> explains everything the agent says.
/// </summary>
public sealed partial class EventCatalogTests
{
    [Fact]
    public void Every_event_the_code_logs_is_in_the_table_and_explained_in_the_catalog()
    {
        var root = ProcessRunner.RepositoryRoot;
        var sources = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);
        var named = sources.SelectMany(f => NamedEventId().Matches(f.Value).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(named);
        // Core and the executable name their events by the enum; only the adapters, which know nothing of Core, use numbers.
        var literal = sources.SelectMany(f => LoggedEventId().Matches(f.Value).Select(m => (File: f.Key, Id: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        Assert.All(literal, l => Assert.False(l.File.StartsWith("src/Agent/", StringComparison.Ordinal) || l.File.StartsWith("src/Agent.Core/", StringComparison.Ordinal),
            $"{l.File} logs event {l.Id} by number: name it with AgentEvent"));
        var unknown = literal.Where(l => !Enum.IsDefined((AgentEvent)l.Id)).ToList();
        Assert.True(unknown.Count == 0, $"logged but not in AgentEvent: {string.Join(", ", unknown)}");

        var catalog = File.ReadAllText(Path.Combine(root, "units", "update-agent.catalog"));
        var explained = CatalogEntry().Matches(catalog).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(explained.Count, explained.Distinct(StringComparer.Ordinal).Count());
        var unexplained = Enum.GetValues<AgentEvent>().Where(e => !explained.Contains(LogEvents.MessageId(e))).ToList();
        Assert.True(unexplained.Count == 0, $"events without a catalog entry: {string.Join(", ", unexplained)}");
        var stray = explained.Where(id => !LogEvents.MessageIds.Values.Contains(id)).ToList();
        Assert.True(stray.Count == 0, $"catalog entries of no event: {string.Join(", ", stray)}");
        Assert.Equal(Enum.GetValues<AgentEvent>().Length, LogEvents.MessageIds.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [GeneratedRegex(@"EventId = \(int\)AgentEvent\.(\w+)")]
    private static partial Regex NamedEventId();

    [GeneratedRegex(@"EventId = (\d+)")]
    private static partial Regex LoggedEventId();

    [GeneratedRegex(@"^-- ([0-9a-f]{32})$", RegexOptions.Multiline)]
    private static partial Regex CatalogEntry();
}
