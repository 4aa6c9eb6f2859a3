namespace UpdateAgent.Core.Configuration;

/// <summary>
/// Refuses configuration, policy and key files that someone other than root could change: such
/// a file would let that someone decide what the host runs.
/// </summary>
public static class FilePermissions
{
    /// <summary>A reason per file that is writable by group or others, or owned by someone other than root; nothing for missing files.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<string> files)
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
            if (OwnerUid(file) is { } uid && uid != 0)
            {
                problems.Add($"{file}: owned by uid {uid}, not root; run 'chown root {file}'");
            }
        }
        return problems;
    }

    private static long? OwnerUid(string file) => UnixStat.OwnerOf(file);
}
