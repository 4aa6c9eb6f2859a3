namespace UpdateAgent.Core.Updaters;

/// <summary>
/// The users and home folders of an <c>/etc/passwd</c> text (<c>name:x:uid:gid:gecos:home:shell</c>).
/// Bounded: at most <see cref="MaxUsers"/> users are read; malformed lines are skipped. Never throws.
/// </summary>
public static class PasswdHomes
{
    /// <summary>Most users read from one file.</summary>
    public const int MaxUsers = 10_000;

    /// <summary>Most characters of the file read.</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    /// <summary>Each user with an absolute home folder, in file order, each name once.</summary>
    public static IReadOnlyList<(string User, string Home)> Parse(string? text)
    {
        var homes = new List<(string User, string Home)>();
        if (string.IsNullOrEmpty(text))
        {
            return homes;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.AsSpan(0, Math.Min(text.Length, MaxLength)).EnumerateLines())
        {
            if (homes.Count == MaxUsers)
            {
                break;
            }
            var fields = line.ToString().Split(':');
            if (fields.Length >= 7 && fields[0].Length > 0 && !fields[0].StartsWith('#') && fields[5].StartsWith('/') && seen.Add(fields[0]))
            {
                homes.Add((fields[0], fields[5]));
            }
        }
        return homes;
    }
}
