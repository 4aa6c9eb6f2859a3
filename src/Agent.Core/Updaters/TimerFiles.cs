namespace UpdateAgent.Core.Updaters;

/// <summary>
/// Finds <c>podman-auto-update.timer</c> enabled for users, from the enablement links systemd
/// keeps: <c>/etc/systemd/user/*.wants/</c> (enabled for every user) and each home's
/// <c>~/.config/systemd/user/*.wants/</c>. Homes are those of <c>/etc/passwd</c>, root's, and
/// every folder of <c>/home</c> and <c>/var/home</c> (RHEL image mode keeps homes there, and
/// users from a directory service have no passwd line). Every path is read below
/// <paramref name="root"/>, so tests hand in a folder. Reading a home needs root outside a
/// sandbox: the daemon runs with <c>ProtectHome=yes</c> and cannot; <c>doctor</c> can.
/// </summary>
/// <param name="root">The file system root to read below: <c>/</c> on a host.</param>
public sealed class TimerFiles(string root)
{
    private static readonly string[] HomeParents = ["home", "var/home"];

    /// <summary>This host's file system.</summary>
    public static TimerFiles Host { get; } = new("/");

    /// <summary>The timer enabled for every user's manager (<c>systemctl --global enable</c>), one finding per target it is enabled into.</summary>
    public IReadOnlyList<OtherUpdater> GlobalUserTimers() =>
        AutoUpdateTimer.Targets
            .Select(target => $"etc/systemd/user/{target}/{AutoUpdateTimer.Unit}")
            .Where(path => IsLink(Below(path)))
            .Select(path => new OtherUpdater(UpdaterKind.GlobalUserTimer,
                $"{AutoUpdateTimer.Unit} is enabled for every user (/{path}): each user's podman auto-update pulls and restarts that user's auto-update containers daily, unverified",
                AutoUpdateTimer.GlobalFix))
            .ToList();

    /// <summary>The timer enabled in a user's own configuration, one finding per user and target.</summary>
    public IReadOnlyList<OtherUpdater> UserTimers()
    {
        var found = new List<OtherUpdater>();
        foreach (var (user, home) in Homes())
        {
            foreach (var target in AutoUpdateTimer.Targets)
            {
                var path = $"{home.TrimEnd('/')}/.config/systemd/user/{target}/{AutoUpdateTimer.Unit}";
                if (IsLink(Below(path)))
                {
                    found.Add(new OtherUpdater(UpdaterKind.UserTimer,
                        $"{user}'s {AutoUpdateTimer.Unit} is enabled ({path}): podman auto-update pulls and restarts {user}'s auto-update containers daily, unverified",
                        AutoUpdateTimer.UserFix(user), user));
                }
            }
        }
        return found;
    }

    private IEnumerable<(string User, string Home)> Homes()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in PasswdHomes.Parse(ReadBounded(Below("etc/passwd"), PasswdHomes.MaxLength)).Append((User: "root", Home: "/root")))
        {
            if (seen.Add(entry.User))
            {
                yield return entry;
            }
        }
        foreach (var parent in HomeParents)
        {
            foreach (var folder in Folders(Below(parent)).Take(PasswdHomes.MaxUsers))
            {
                var user = Path.GetFileName(folder);
                if (seen.Add(user))
                {
                    yield return (user, $"/{parent}/{user}");
                }
            }
        }
    }

    private string Below(string path) => Path.Join(root, path.TrimStart('/'));

    // An enablement is a link (a copied file counts too); a dangling link is still an enablement.
    private static bool IsLink(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists || info.LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static IEnumerable<string> Folders(string path)
    {
        try
        {
            return Directory.Exists(path) ? Directory.GetDirectories(path) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? ReadBounded(string path, int maxChars)
    {
        try
        {
            using var reader = new StreamReader(path);
            var text = new System.Text.StringBuilder();
            var chunk = new char[16 * 1024];
            int read;
            while (text.Length < maxChars && (read = reader.ReadBlock(chunk, 0, Math.Min(chunk.Length, maxChars - text.Length))) > 0)
            {
                text.Append(chunk, 0, read);
            }
            return text.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
