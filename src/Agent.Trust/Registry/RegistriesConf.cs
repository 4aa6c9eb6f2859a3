using Tomlyn;
using Tomlyn.Model;
using UpdateAgent.Trust.Json;

namespace UpdateAgent.Trust.Registry;

/// <summary>
/// Reads the registries marked <c>insecure = true</c> in containers' <c>registries.conf</c>
/// (and its <c>.d</c> drop-ins), so the agent reaches the same registries over plain HTTP
/// that podman does, and no others.
/// </summary>
public static class RegistriesConf
{
    private const long MaxFileBytes = 1024 * 1024;

    /// <summary>The standard file and drop-in folder.</summary>
    public static readonly string DefaultPath = "/etc/containers/registries.conf";

    /// <summary>Insecure registry locations from <paramref name="path"/> and <c>&lt;path&gt;.d/*.conf</c>; missing files add nothing.</summary>
    /// <exception cref="FormatException">A file is not valid TOML.</exception>
    public static IReadOnlyList<string> ReadInsecure(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var found = new List<string>();
        var files = new List<string>();
        if (File.Exists(path))
        {
            files.Add(path);
        }
        var dropIns = path + ".d";
        if (Directory.Exists(dropIns))
        {
            files.AddRange(Directory.GetFiles(dropIns, "*.conf").Order(StringComparer.Ordinal));
        }
        foreach (var file in files)
        {
            if (new FileInfo(file).Length > MaxFileBytes)
            {
                throw new FormatException($"{file}: larger than {MaxFileBytes} bytes");
            }
            var text = File.ReadAllText(file);
            // Most drop-ins (short-name aliases) cannot mark anything insecure: skip parsing them.
            if (text.Contains("insecure", StringComparison.Ordinal))
            {
                found.AddRange(ParseInsecure(text, file));
            }
        }
        return found;
    }

    /// <summary>Insecure registry locations in one registries.conf text.</summary>
    public static IReadOnlyList<string> ParseInsecure(string toml, string source)
    {
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize(toml, TrustTomlContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new FormatException($"{source}: {ex.Message}", ex);
        }
        var found = new List<string>();
        if (model.TryGetValue("registry", out var registries) && registries is TomlTableArray array)
        {
            foreach (var registry in array)
            {
                if (registry.TryGetValue("insecure", out var insecure) && insecure is true)
                {
                    var location = registry.TryGetValue("location", out var l) ? l as string
                        : registry.TryGetValue("prefix", out var p) ? p as string : null;
                    if (!string.IsNullOrEmpty(location))
                    {
                        found.Add(location);
                    }
                }
            }
        }
        return found;
    }
}
