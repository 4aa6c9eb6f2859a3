using System.Text.RegularExpressions;
using UpdateAgent.Core.Engine;

namespace UpdateAgent.Core.Tests;

/// <summary>docs/engine.md's transition table is the machine's, state for state and transition for transition.</summary>
public sealed partial class EngineDocsTests
{
    [Fact]
    public void The_documented_transitions_are_exactly_the_machines()
    {
        var documented = DocumentedTransitions();
        var code = UpdateMachine.Transitions.ToDictionary(t => t.Key.Name, t => t.Value.Select(v => v.Name).Order().ToList());
        Assert.Equal(code.Keys.Order(), documented.Keys.Order());
        foreach (var (from, targets) in code)
        {
            Assert.True(targets.SequenceEqual(documented[from]), $"{from}: the code allows {string.Join(", ", targets)}; docs/engine.md says {string.Join(", ", documented[from])}");
        }
    }

    [Fact]
    public void Every_state_is_in_the_table_and_terminal_exactly_when_nothing_leaves_it()
    {
        var states = typeof(UpdateState).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(UpdateState)) && !t.IsAbstract).ToList();
        var reachable = UpdateMachine.Transitions.Values.SelectMany(v => v).Concat(UpdateMachine.Transitions.Keys).ToHashSet();
        foreach (var state in states)
        {
            Assert.True(reachable.Contains(state), $"{state.Name} is in no transition");
            var terminal = (bool)state.GetProperty(nameof(UpdateState.IsTerminal))!.GetValue(System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(state))!;
            Assert.Equal(!UpdateMachine.Transitions.ContainsKey(state), terminal);
        }
    }

    private static Dictionary<string, List<string>> DocumentedTransitions()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "engine.md"));
        var section = text[text.IndexOf("## Transitions", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var rows = new Dictionary<string, List<string>>();
        foreach (Match row in Row().Matches(section))
        {
            rows[row.Groups[1].Value] = Name().Matches(row.Groups[2].Value).Select(m => m.Groups[1].Value).Order().ToList();
        }
        return rows;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agent.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Agent.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\| `(\w+)` \| ((?:`\w+`(?:, )?)+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"`(\w+)`")]
    private static partial Regex Name();
}
