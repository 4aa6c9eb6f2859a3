namespace UpdateAgent.Core.Engine;

/// <summary>
/// Tells whether a unit's <c>ExecStart=</c> pulls its image's tag whenever the unit starts —
/// <c>podman run --pull=always|newer</c>, which Quadlet writes for <c>Pull=always</c> or
/// <c>Pull=newer</c>. Such a unit runs whatever the registry's tag names at the moment of any
/// restart, so update-agent's verification can be bypassed by a plain <c>systemctl restart</c>.
/// Reads podman directly, through <c>env</c>, and inside <c>sh -c</c> scripts (split on
/// whitespace and command separators). <c>podman kube play</c> has no <c>--pull</c>: what it
/// pulls is in its YAML, which this does not read. Pure and bounded; never throws.
/// </summary>
public static class PullOnStart
{
    /// <summary>Most commands judged; a unit with more is reported as not judgeable.</summary>
    public const int MaxCommands = 64;

    /// <summary>Most arguments of one command judged.</summary>
    public const int MaxArguments = 4096;

    /// <summary>Most characters of one <c>sh -c</c> script judged.</summary>
    public const int MaxScriptLength = 64 * 1024;

    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "sh", "bash", "dash", "ash", "zsh", "ksh" };

    private static readonly char[] Separators = [';', '&', '|', '\n', '(', ')', '`'];

    /// <summary>
    /// Null when no command of <paramref name="execStart"/> (the argv of each <c>ExecStart=</c>)
    /// pulls on start; otherwise a sentence for an operator naming the command and the fix. Input
    /// too large to judge whole gets a sentence saying so, since a part cannot clear the unit.
    /// </summary>
    public static string? Reason(IReadOnlyList<IReadOnlyList<string>> execStart)
    {
        if (execStart is null)
        {
            return null;
        }
        if (execStart.Count > MaxCommands)
        {
            return $"ExecStart has {execStart.Count} commands, more than the {MaxCommands} update-agent judges; it cannot tell whether one pulls the image on start";
        }
        foreach (var argv in execStart)
        {
            if (argv is null || argv.Count == 0)
            {
                continue;
            }
            if (argv.Count > MaxArguments)
            {
                return $"an ExecStart command has {argv.Count} arguments, more than the {MaxArguments} update-agent judges; it cannot tell whether it pulls the image on start";
            }
            if (Judge(argv) is { } reason)
            {
                return reason;
            }
        }
        return null;
    }

    private static string? Judge(IReadOnlyList<string> argv)
    {
        var program = Name(argv[0]);
        var first = 1;
        if (program == "env")
        {
            first = SkipEnv(argv);
            program = first < argv.Count ? Name(argv[first]) : "";
            first++;
        }
        if (program == "podman")
        {
            return PodmanPullFlag.Find(argv, first) is { } pull ? Sentence($"'podman {pull}'") : null;
        }
        if (Shells.Contains(program) && Script(argv, first) is { } script)
        {
            if (script.Length > MaxScriptLength)
            {
                return $"ExecStart runs a '{program} -c' script of {script.Length} characters, more than the {MaxScriptLength} update-agent judges; it cannot tell whether it pulls the image on start";
            }
            return JudgeScript(script) is { } pull ? Sentence($"'{program} -c' with 'podman {pull}'") : null;
        }
        return null;
    }

    // env [-i] [-u NAME] [NAME=VALUE]... PROGRAM: the index of PROGRAM.
    private static int SkipEnv(IReadOnlyList<string> argv)
    {
        var i = 1;
        while (i < argv.Count && argv[i] is { } arg && (arg.StartsWith('-') || arg.Contains('=', StringComparison.Ordinal)))
        {
            i += arg is "-u" or "--unset" or "-C" or "--chdir" ? 2 : 1;
            if (arg == "--")
            {
                break;
            }
        }
        return i;
    }

    // The script of "sh [options] -c SCRIPT" (-c may be combined: -ec, -xc).
    private static string? Script(IReadOnlyList<string> argv, int first)
    {
        for (var i = first; i + 1 < argv.Count; i++)
        {
            var arg = argv[i] ?? "";
            if (arg.Length > 1 && arg[0] == '-' && arg[1] != '-' && arg.Contains('c', StringComparison.Ordinal))
            {
                return argv[i + 1];
            }
        }
        return null;
    }

    private static string? JudgeScript(string script)
    {
        // A backslash before a newline continues the command; a bare newline ends it.
        foreach (var segment in script.Replace("\\\n", " ", StringComparison.Ordinal).Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var words = segment.Replace("\"", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal)
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < words.Length && i < MaxArguments; i++)
            {
                if (Name(words[i]) == "podman" && PodmanPullFlag.Find(words, i + 1) is { } pull)
                {
                    return pull;
                }
            }
        }
        return null;
    }

    private static string Name(string? path) => path is null ? "" : path[(path.LastIndexOf('/') + 1)..];

    private static string Sentence(string what) =>
        $"ExecStart runs {what}, which pulls the tag on every start and can start an image update-agent never verified; " +
        "set Pull=missing (Quadlet) or --pull=missing or --pull=never";
}
