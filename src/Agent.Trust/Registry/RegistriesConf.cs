using Tomlyn;
using Tomlyn.Model;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Reads containers' <c>registries.conf</c> and its <c>.d</c> drop-ins the way podman does, for what
/// decides where the agent reads an image: <c>[[registry]]</c> prefixes, locations, mirrors (with
/// <c>pull-from-mirror</c> and <c>mirror-by-digest-only</c>), <c>insecure</c> and <c>blocked</c>, and
/// the older <c>[registries.insecure]</c>/<c>[registries.block]</c> lists. A drop-in's table replaces
/// an earlier one with the same prefix. Short names and aliases are not read: managed images are
/// always fully qualified.
/// </summary>
public static class RegistriesConf
{
    private const long MaxFileBytes = 1024 * 1024;
    private const int MaxDropIns = 256;

    /// <summary>The standard file; its drop-in folder is the same path with <c>.d</c>.</summary>
    public static readonly string DefaultPath = "/etc/containers/registries.conf";

    /// <summary>The namespaces of <paramref name="path"/> and <c>&lt;path&gt;.d/*.conf</c> (in name order); missing files add nothing.</summary>
    /// <exception cref="FormatException">A file is too large, not valid TOML, or has a table podman would refuse; the message names the file.</exception>
    public static RegistrySources Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(path, [path + ".d"]);
    }

    /// <summary>
    /// What a rootless podman of the user whose home is <paramref name="home"/> reads: the user's
    /// <c>~/.config/containers/registries.conf</c> if it exists, else the system's; then the system's
    /// drop-ins and the user's own (<c>~/.config/containers/registries.conf.d</c>).
    /// </summary>
    /// <exception cref="FormatException">As for <see cref="Read(string)"/>.</exception>
    public static RegistrySources ReadForUser(string home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var user = Path.Combine(home, ".config", "containers", "registries.conf");
        return Read(File.Exists(user) ? user : DefaultPath, [DefaultPath + ".d", user + ".d"]);
    }

    private static RegistrySources Read(string path, IReadOnlyList<string> dropInFolders)
    {
        var files = new List<string>();
        if (File.Exists(path))
        {
            files.Add(path);
        }
        foreach (var dropIns in dropInFolders.Where(Directory.Exists))
        {
            var found = Directory.GetFiles(dropIns, "*.conf").Order(StringComparer.Ordinal).ToList();
            if (found.Count > MaxDropIns)
            {
                throw new FormatException($"{dropIns}: more than {MaxDropIns} drop-in files");
            }
            files.AddRange(found);
        }
        var merged = new List<RegistryNamespace>();
        foreach (var file in files)
        {
            if (new FileInfo(file).Length > MaxFileBytes)
            {
                throw new FormatException($"{file}: larger than {MaxFileBytes} bytes");
            }
            foreach (var entry in Parse(File.ReadAllText(file), file))
            {
                merged.RemoveAll(e => string.Equals(e.Prefix, entry.Prefix, StringComparison.Ordinal));
                merged.Add(entry);
            }
        }
        return new RegistrySources(merged);
    }

    /// <summary>Registry hosts (<c>host[:port]</c>) reached over plain HTTP, locations and mirrors alike, from <see cref="Read(string)"/>.</summary>
    /// <exception cref="FormatException">As for <see cref="Read(string)"/>.</exception>
    public static IReadOnlyList<string> ReadInsecure(string path) => InsecureHosts(Read(path));

    /// <summary>The hosts of the insecure locations and mirrors of <paramref name="sources"/>.</summary>
    public static IReadOnlyList<string> InsecureHosts(RegistrySources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var hosts = new List<string>();
        foreach (var entry in sources.Namespaces)
        {
            if (entry.Insecure && !entry.IsWildcard)
            {
                hosts.Add(HostOf(entry.Location.Length == 0 ? entry.Prefix : entry.Location));
            }
            hosts.AddRange(entry.Mirrors.Where(m => m.Insecure).Select(m => HostOf(m.Location)));
        }
        return hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Insecure registry hosts in one registries.conf text.</summary>
    /// <exception cref="FormatException">As for <see cref="Parse"/>.</exception>
    public static IReadOnlyList<string> ParseInsecure(string toml, string source) => InsecureHosts(new RegistrySources(Parse(toml, source)));

    /// <summary>The namespaces one registries.conf text defines, in order.</summary>
    /// <exception cref="FormatException">Not valid TOML, or a table podman would refuse; the message names <paramref name="source"/>.</exception>
    public static IReadOnlyList<RegistryNamespace> Parse(string toml, string source)
    {
        ArgumentNullException.ThrowIfNull(toml);
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize(toml, TrustTomlContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new FormatException($"{source}: {ex.Message}", ex);
        }
        var found = new List<RegistryNamespace>();
        if (model.TryGetValue("registry", out var registries))
        {
            if (registries is not TomlTableArray array)
            {
                throw new FormatException($"{source}: 'registry' must be an array of tables ([[registry]])");
            }
            foreach (var table in array)
            {
                found.Add(Namespace(table, source, found.Count + 1));
            }
        }
        if (model.TryGetValue("registries", out var v1) && v1 is TomlTable lists)
        {
            // The older format: plain lists of registries, each a namespace of its own.
            if (found.Count > 0)
            {
                throw new FormatException($"{source}: mixes the [registries.*] lists with [[registry]] tables, which podman refuses");
            }
            found.AddRange(V1List(lists, "insecure", source).Select(r => new RegistryNamespace(r, r, true, false, [], source)));
            foreach (var blocked in V1List(lists, "block", source))
            {
                var existing = found.FindIndex(e => e.Prefix == blocked);
                var insecure = existing >= 0 && found[existing].Insecure;
                if (existing >= 0)
                {
                    found.RemoveAt(existing);
                }
                found.Add(new RegistryNamespace(blocked, blocked, insecure, true, [], source));
            }
        }
        return found;
    }

    private static RegistryNamespace Namespace(TomlTable table, string source, int number)
    {
        var where = $"{source}: [[registry]] number {number}";
        var location = Text(table, "location", where) ?? string.Empty;
        var prefix = Text(table, "prefix", where) ?? location;
        if (prefix.Length == 0)
        {
            throw new FormatException($"{where}: has neither prefix nor location");
        }
        var isWildcard = prefix.StartsWith("*.", StringComparison.Ordinal);
        if (isWildcard && prefix.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"{where}: the wildcard prefix \"{prefix}\" may name a host only");
        }
        if (!isWildcard && location.Length == 0)
        {
            location = prefix;
        }
        var digestOnly = Flag(table, "mirror-by-digest-only", where);
        var mirrors = new List<RegistryMirror>();
        if (table.TryGetValue("mirror", out var value))
        {
            if (value is not TomlTableArray mirrorTables)
            {
                throw new FormatException($"{where}: 'mirror' must be an array of tables ([[registry.mirror]])");
            }
            foreach (var mirror in mirrorTables)
            {
                var mirrorWhere = $"{where}, mirror number {mirrors.Count + 1}";
                var mirrorLocation = Text(mirror, "location", mirrorWhere);
                if (string.IsNullOrEmpty(mirrorLocation))
                {
                    throw new FormatException($"{mirrorWhere}: has no location");
                }
                var use = Use(Text(mirror, "pull-from-mirror", mirrorWhere), mirrorWhere);
                if (digestOnly && use != MirrorUse.All)
                {
                    throw new FormatException($"{mirrorWhere}: sets pull-from-mirror while the registry sets mirror-by-digest-only, which podman refuses");
                }
                mirrors.Add(new RegistryMirror(mirrorLocation, Flag(mirror, "insecure", mirrorWhere), digestOnly ? MirrorUse.DigestOnly : use));
            }
        }
        return new RegistryNamespace(prefix, location, Flag(table, "insecure", where), Flag(table, "blocked", where), mirrors, source);
    }

    private static MirrorUse Use(string? text, string where) => text switch
    {
        null or "" or "all" => MirrorUse.All,
        "digest-only" => MirrorUse.DigestOnly,
        "tag-only" => MirrorUse.TagOnly,
        _ => throw new FormatException($"{where}: pull-from-mirror = \"{text}\" is not all, digest-only or tag-only"),
    };

    private static string? Text(TomlTable table, string key, string where) =>
        !table.TryGetValue(key, out var value) ? null
        : value as string ?? throw new FormatException($"{where}: '{key}' must be a string");

    private static bool Flag(TomlTable table, string key, string where) =>
        table.TryGetValue(key, out var value) && (value as bool? ?? throw new FormatException($"{where}: '{key}' must be true or false"));

    private static IEnumerable<string> V1List(TomlTable lists, string name, string source)
    {
        if (!lists.TryGetValue(name, out var section))
        {
            return [];
        }
        if (section is not TomlTable table || !table.TryGetValue("registries", out var registries) || registries is not TomlArray array)
        {
            throw new FormatException($"{source}: [registries.{name}] must hold registries = [\"host\", ...]");
        }
        return array.Select(r => r as string ?? throw new FormatException($"{source}: [registries.{name}] lists something that is not a string"));
    }

    private static string HostOf(string location)
    {
        var slash = location.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? location : location[..slash];
    }
}
