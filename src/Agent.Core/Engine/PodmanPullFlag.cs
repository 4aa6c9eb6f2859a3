namespace UpdateAgent.Core.Engine;

/// <summary>
/// Finds a pulling <c>--pull</c> in the arguments that follow <c>podman</c>: skips podman's global
/// options, takes the subcommand (<c>run</c>, <c>create</c>, or <c>container run|create</c>, the
/// only ones with <c>--pull</c>), and looks at every argument after it up to <c>--</c>. It does not
/// try to tell the container's own command from podman's options: that needs every flag of
/// <c>podman run</c>, and guessing wrong would hide a <c>--pull</c>; a container command that
/// itself says <c>--pull always</c> is reported too, which is the safe mistake.
/// </summary>
internal static class PodmanPullFlag
{
    // Global options that take their value as the next argument when not written with '='.
    private static readonly HashSet<string> GlobalsWithValue = new(StringComparer.Ordinal)
    {
        "--cgroup-manager", "--cni-config-dir", "--config", "--conmon", "--connection", "-c", "--db-backend",
        "--events-backend", "--hooks-dir", "--identity", "--imagestore", "--log-level", "--module",
        "--network-cmd-path", "--network-config-dir", "--out", "--root", "--runroot", "--runtime",
        "--runtime-flag", "--ssh", "--storage-driver", "--storage-opt", "--tmpdir", "--url", "--volumepath",
    };

    // What podman reads as "always" or "newer" (containers/common ParsePullPolicy, any case); "true" as podman build does.
    private static readonly HashSet<string> Pulling = new(StringComparer.OrdinalIgnoreCase) { "always", "newer", "ifnewer", "true" };

    /// <summary>
    /// The pulling part as written (<c>run … --pull newer</c>), or null. <paramref name="args"/>
    /// are the arguments after the <c>podman</c> word, <paramref name="start"/> the first of them.
    /// </summary>
    public static string? Find(IReadOnlyList<string?> args, int start)
    {
        var i = start;
        while (i < args.Count && args[i] is { } option && option.StartsWith('-') && option != "--")
        {
            i += !option.Contains('=', StringComparison.Ordinal) && GlobalsWithValue.Contains(option) ? 2 : 1;
        }
        if (i >= args.Count)
        {
            return null;
        }
        var subcommand = args[i];
        if (subcommand == "container" && i + 1 < args.Count)
        {
            subcommand = $"container {args[++i]}";
        }
        if (subcommand is not ("run" or "create" or "container run" or "container create"))
        {
            return null;
        }
        for (var j = i + 1; j < args.Count && args[j] != "--"; j++)
        {
            var arg = args[j] ?? "";
            if (arg.StartsWith("--pull=", StringComparison.Ordinal) && Pulling.Contains(arg["--pull=".Length..]))
            {
                return $"{subcommand} {arg}";
            }
            if (arg == "--pull" && j + 1 < args.Count && args[j + 1] is { } value && Pulling.Contains(value))
            {
                return $"{subcommand} --pull {value}";
            }
        }
        return null;
    }
}
