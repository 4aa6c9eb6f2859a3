namespace UpdateAgent.Core.Configuration;

/// <summary>
/// The rule for every file that decides what the agent trusts or does: owned by root (or, for a
/// user instance's own settings, by that user) and writable by nobody else.
/// </summary>
public static class FilePermissions
{
    /// <summary>A reason per file that is writable by group or others, or owned by someone other than root; nothing for missing files.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<string> files) => Check(files, alsoOwner: null);

    /// <summary>
    /// As <see cref="Check(IEnumerable{string})"/>, but files owned by <paramref name="alsoOwner"/> pass
    /// too: a user instance's own configuration is that user's. Never used for the trust policy and
    /// the files it names, which stay root's so a user cannot widen what is trusted.
    /// </summary>
    public static IReadOnlyList<string> Check(IEnumerable<string> files, uint? alsoOwner)
    {
        ArgumentNullException.ThrowIfNull(files);
        var problems = new List<string>();
        foreach (var file in files.Where(File.Exists).Distinct(StringComparer.Ordinal))
        {
            var mode = File.GetUnixFileMode(file);
            if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                problems.Add($"{file}: writable by {((mode & UnixFileMode.OtherWrite) != 0 ? "anyone" : "its group")}; run 'chmod go-w {file}'");
            }
            if (OwnerUid(file) is { } uid && uid != 0 && uid != alsoOwner)
            {
                problems.Add($"{file}: owned by uid {uid}, not root{(alsoOwner is { } own ? $" or uid {own}" : "")}; run 'chown root {file}'");
            }
        }
        return problems;
    }

    private static long? OwnerUid(string file) => UnixStat.OwnerOf(file);
}
