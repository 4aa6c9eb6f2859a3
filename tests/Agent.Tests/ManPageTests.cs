using System.CommandLine;
using System.IO.Compression;
using System.Text.RegularExpressions;
using UpdateAgent.Testing;

namespace UpdateAgent.Tests;

/// <summary>
/// The man page and the shell completions stay true to the command tree <c>--help</c> prints: every
/// command, subcommand and option appears in each, and the pages build from their markdown.
/// </summary>
public sealed partial class ManPageTests(ITestOutputHelper output)
{
    private static readonly string ManPage = Path.Combine(ProcessRunner.RepositoryRoot, "docs", "man", "update-agent.8.md");
    private static readonly string Bash = Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "completion", "update-agent.bash");
    private static readonly string Zsh = Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "completion", "_update-agent");

    /// <summary>Every command path (e.g. "quarantine release") and the options it takes, help and version aside.</summary>
    private static IEnumerable<(string Path, string[] Options, bool HasSubcommands)> Commands()
    {
        var pending = new Stack<(string Path, Command Command)>(Program.BuildRoot().Subcommands.Select(c => (c.Name, c)));
        while (pending.Count > 0)
        {
            var (path, command) = pending.Pop();
            foreach (var sub in command.Subcommands)
            {
                pending.Push(($"{path} {sub.Name}", sub));
            }
            var options = command.Options
                .SelectMany(o => o.Aliases.Prepend(o.Name))
                .Where(name => name is not ("--help" or "-h" or "-?" or "/?" or "/h" or "--version"))
                .ToArray();
            yield return (path, options, command.Subcommands.Count > 0);
        }
    }

    [Fact]
    public void Every_command_and_option_is_in_the_man_page()
    {
        var page = File.ReadAllText(ManPage);
        foreach (var (path, options, hasSubcommands) in Commands())
        {
            // A command is a definition term: `check` [*UNIT*...], `quarantine release` *UNIT* ...; one
            // with subcommands is described by theirs.
            Assert.True(page.Contains($"\n`{path}{(hasSubcommands ? " " : "`")}", StringComparison.Ordinal), $"docs/man/update-agent.8.md does not describe the command '{path}' (--help lists it)");
            foreach (var option in options)
            {
                Assert.True(page.Contains($"`{option}`", StringComparison.Ordinal), $"docs/man/update-agent.8.md does not describe {option} of '{path}' (--help lists it)");
            }
        }
        // --version names the commit; the page says so.
        Assert.Contains("`--version`\n: Print the version and the commit", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_exit_code_of_the_help_is_in_the_man_page()
    {
        var page = File.ReadAllText(ManPage);
        var codes = ExitCodeLine().Matches(Help.Root[Help.Root.IndexOf("EXIT CODES", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Contains($"\n`{code}`\n: ", page, StringComparison.Ordinal));
    }

    [Fact]
    public void Both_completions_know_every_command_and_option()
    {
        var bash = File.ReadAllText(Bash);
        var zsh = File.ReadAllText(Zsh);
        foreach (var (path, options, _) in Commands())
        {
            var name = path.Split(' ')[^1];
            Assert.True(Regex.IsMatch(bash, $@"\b{Regex.Escape(name)}\b"), $"the bash completion does not know '{path}'");
            Assert.True(zsh.Contains($"'{name}:", StringComparison.Ordinal), $"the zsh completion does not describe '{path}'");
            foreach (var option in options)
            {
                Assert.True(Regex.IsMatch(bash, $@"(^|[ ""|]){Regex.Escape(option)}([ ""|)]|$)", RegexOptions.Multiline), $"the bash completion does not offer {option} of '{path}'");
                Assert.True(zsh.Contains(option, StringComparison.Ordinal), $"the zsh completion does not offer {option} of '{path}'");
            }
        }
    }

    [Fact]
    public async Task The_pages_build_from_their_markdown()
    {
        var dir = Directory.CreateTempSubdirectory("update-agent-man-");
        try
        {
            (await ProcessRunner.RunAsync(Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "man", "build.sh"), [dir.FullName])).EnsureSuccess("packaging/man/build.sh");
            var pages = dir.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(["update-agent-policy.5.gz", "update-agent.8.gz"], pages);
            var roff = Gunzip(Path.Combine(dir.FullName, "update-agent.8.gz"));
            output.WriteLine(roff[..Math.Min(roff.Length, 600)]);
            Assert.StartsWith(".\\\" Generated from docs/man", roff, StringComparison.Ordinal);
            Assert.Contains(".TH \"UPDATE-AGENT\" \"8\"", roff, StringComparison.Ordinal);
            Assert.Contains(".SH EXIT STATUS", roff, StringComparison.Ordinal);
            Assert.Contains("\\fB\\-\\-dry\\-run\\fR", roff, StringComparison.Ordinal);
            // The policy page carries docs/policy.md: its sections and its reason codes.
            var policy = Gunzip(Path.Combine(dir.FullName, "update-agent-policy.5.gz"));
            Assert.Contains(".SH REASON CODES", policy, StringComparison.Ordinal);
            Assert.Contains("\\fBno\\-policy\\fR", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("<!--", policy, StringComparison.Ordinal);
            // The same sources make the same bytes (gzip -n): packages can be checked against a fresh build.
            var again = Directory.CreateTempSubdirectory("update-agent-man-");
            try
            {
                (await ProcessRunner.RunAsync(Path.Combine(ProcessRunner.RepositoryRoot, "packaging", "man", "build.sh"), [again.FullName])).EnsureSuccess("packaging/man/build.sh");
                foreach (var page in pages)
                {
                    Assert.Equal(File.ReadAllBytes(Path.Combine(dir.FullName, page)), File.ReadAllBytes(Path.Combine(again.FullName, page)));
                }
            }
            finally
            {
                again.Delete(recursive: true);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Gunzip(string file)
    {
        using var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^\s+(\d)\s{2,}", RegexOptions.Multiline)]
    private static partial Regex ExitCodeLine();
}
