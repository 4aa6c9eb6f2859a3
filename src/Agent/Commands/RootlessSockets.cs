using System.Globalization;

namespace UpdateAgent.Commands;

/// <summary>
/// Rootless users on this host and their podman sockets: <c>/run/user/UID/podman/podman.sock</c> of each
/// user whose runtime folder exists, named from <c>/etc/passwd</c> (the UID when no line names it).
/// Bounded and never throws: an unreadable folder or file yields fewer sockets.
/// </summary>
internal static class RootlessSockets
{
    private const int MaxUsers = 10_000;
    private const int MaxPasswdChars = 4 * 1024 * 1024;

    /// <summary>Each (user, socket path) whose socket exists, by ascending UID; root's runtime folder is not a rootless user's.</summary>
    public static IReadOnlyList<(string User, string Socket)> Find(string root = "/") =>
        Users(root).Select(u => (u.User, Socket: Path.Join(u.Runtime, "podman", "podman.sock"))).Where(u => File.Exists(u.Socket)).ToList();

    /// <summary>Each non-root user with a runtime folder (<c>/run/user/UID</c>), by ascending UID.</summary>
    public static IReadOnlyList<(string User, string Runtime)> Users(string root = "/")
    {
        var names = UserNames(Path.Join(root, "etc/passwd"));
        var found = new List<(uint Uid, string User, string Runtime)>();
        try
        {
            var runtime = Path.Join(root, "run/user");
            if (!Directory.Exists(runtime))
            {
                return [];
            }
            foreach (var folder in Directory.EnumerateDirectories(runtime).Take(MaxUsers))
            {
                if (uint.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid != 0)
                {
                    found.Add((uid, names.GetValueOrDefault(uid, uid.ToString(CultureInfo.InvariantCulture)), folder));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // what was found so far is still true
        }
        return found.OrderBy(f => f.Uid).Select(f => (f.User, f.Runtime)).ToList();
    }

    private static Dictionary<uint, string> UserNames(string passwd)
    {
        var names = new Dictionary<uint, string>();
        try
        {
            using var reader = new StreamReader(passwd);
            var buffer = new char[MaxPasswdChars];
            var length = reader.ReadBlock(buffer, 0, buffer.Length);
            foreach (var line in new string(buffer, 0, length).Split('\n').Take(MaxUsers))
            {
                var fields = line.Split(':');
                if (fields.Length >= 3 && fields[0].Length > 0 && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
                {
                    names.TryAdd(uid, fields[0]);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no names: UIDs stand in
        }
        return names;
    }
}
