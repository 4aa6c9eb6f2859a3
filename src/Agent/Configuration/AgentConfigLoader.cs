using Tomlyn;
using Tomlyn.Model;
using UpdateAgent.Core;
using UpdateAgent.Core.Configuration;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.Scheduling;
using UpdateAgent.Systemd;
using UpdateAgent.Trust.Json;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Configuration;

/// <summary>
/// Reads the agent's TOML files in order (later files override earlier keys), checks every key,
/// and lists every error with its file and key — the daemon does not start with any.
/// </summary>
public static class AgentConfigLoader
{
    private const long MaxFileBytes = 256 * 1024;

    /// <summary>The files read when no <c>--config</c> is given: vendor defaults, host file, drop-ins by name.</summary>
    public static IReadOnlyList<string> DefaultFiles() => DefaultFiles(AgentSettings.HostFile, AgentSettings.DropInDirectory);

    /// <summary>The vendor defaults, then <paramref name="hostFile"/>, then the drop-ins of <paramref name="dropInDirectory"/> by name (a user instance passes its own).</summary>
    public static IReadOnlyList<string> DefaultFiles(string hostFile, string dropInDirectory)
    {
        var files = new List<string> { AgentSettings.VendorFile, hostFile };
        if (Directory.Exists(dropInDirectory))
        {
            files.AddRange(Directory.GetFiles(dropInDirectory, "*.toml").Order(StringComparer.Ordinal));
        }
        return files;
    }

    /// <summary>Loads <paramref name="files"/>; missing files are skipped unless <paramref name="required"/> names them.</summary>
    public static (AgentSettings Settings, IReadOnlyList<PolicyError> Errors) Load(IReadOnlyList<string> files, IReadOnlyCollection<string>? required = null) =>
        Load(files, required, new AgentSettings { DBusAddress = SystemBus.Address });

    /// <summary>As <see cref="Load(IReadOnlyList{string}, IReadOnlyCollection{string}?)"/>, on top of <paramref name="defaults"/> (a user instance's own paths).</summary>
    public static (AgentSettings Settings, IReadOnlyList<PolicyError> Errors) Load(IReadOnlyList<string> files, IReadOnlyCollection<string>? required, AgentSettings defaults)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(defaults);
        var settings = defaults;
        var errors = new List<PolicyError>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                if (required?.Contains(file) == true)
                {
                    errors.Add(new PolicyError(file, "", "the configuration file does not exist"));
                }
                continue;
            }
            if (new FileInfo(file).Length > MaxFileBytes)
            {
                errors.Add(new PolicyError(file, "", $"the configuration file is larger than {MaxFileBytes} bytes"));
                continue;
            }
            settings = Apply(settings, File.ReadAllText(file), file, errors);
        }
        return (settings, errors);
    }

    /// <summary>Applies one file's keys on top of <paramref name="settings"/>.</summary>
    public static AgentSettings Apply(AgentSettings settings, string toml, string file, List<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize(toml, TrustTomlContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            errors.Add(new PolicyError(file, "", $"not valid TOML: {e.Message}"));
            return settings;
        }
        var root = new TomlSection(model, "", file, errors);
        if (root.Table("agent") is { } agent)
        {
            settings = settings with
            {
                PolicyPath = agent.String("policy") ?? settings.PolicyPath,
                StateDirectory = agent.String("state_directory") ?? settings.StateDirectory,
                PodmanSocket = agent.String("podman_socket") ?? settings.PodmanSocket,
                DBusAddress = agent.String("dbus_address") ?? settings.DBusAddress,
                ApiSocket = agent.String("api_socket") ?? settings.ApiSocket,
                ApiGroup = agent.String("api_group") ?? settings.ApiGroup,
                RestartTimeout = Duration(agent, "restart_timeout", TimeSpan.FromHours(1)) ?? settings.RestartTimeout,
                PullTimeout = Duration(agent, "pull_timeout", TimeSpan.FromHours(6), TimeSpan.FromSeconds(1)) ?? settings.PullTimeout,
                MetricsTextfileDirectory = agent.String("metrics_textfile_directory") ?? settings.MetricsTextfileDirectory,
                OnUnverified = OnUnverified(agent) ?? settings.OnUnverified,
                KeepImages = (int?)agent.Integer("keep_images", 2, 100) ?? settings.KeepImages,
                HistoryDays = (int?)agent.Integer("history_days", 1, 36500) ?? settings.HistoryDays,
            };
            agent.RejectUnknown();
        }
        if (root.Table("schedule") is { } schedule)
        {
            settings = settings with { Schedule = ReadSchedule(schedule, settings.Schedule) };
            schedule.RejectUnknown();
        }
        if (root.Table("health") is { } health)
        {
            settings = settings with { Health = ReadHealth(health, settings.Health) };
            health.RejectUnknown();
        }
        if (root.Table("units") is { } units)
        {
            var perUnit = new Dictionary<string, HealthGateSettings>(settings.UnitHealth, StringComparer.Ordinal);
            var unitActions = new Dictionary<string, UnverifiedAction>(settings.UnitOnUnverified, StringComparer.Ordinal);
            foreach (var (unit, section) in units.SubTables())
            {
                if (OnUnverified(section) is { } action)
                {
                    unitActions[unit] = action;
                }
                perUnit[unit] = ReadHealth(section, perUnit.TryGetValue(unit, out var before) ? before : settings.Health);
                section.RejectUnknown();
            }
            settings = settings with { UnitHealth = perUnit, UnitOnUnverified = unitActions };
            units.RejectUnknown();
        }
        if (root.Table("notify") is { } notify)
        {
            if (notify.String("webhook") is { } hook)
            {
                if (Uri.TryCreate(hook, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    settings = settings with { Webhook = uri };
                }
                else
                {
                    notify.Error("webhook", "must be an http(s) URL");
                }
            }
            if (notify.String("format") is { } format)
            {
                if (format is "generic" or "slack")
                {
                    settings = settings with { WebhookFormat = format };
                }
                else
                {
                    notify.Error("format", "must be \"generic\" or \"slack\"");
                }
            }
            notify.RejectUnknown();
        }
        root.RejectUnknown();
        return settings;
    }

    private static UnverifiedAction? OnUnverified(TomlSection section)
    {
        switch (section.String("on_unverified"))
        {
            case null: return null;
            case "restore": return UnverifiedAction.Restore;
            case "report": return UnverifiedAction.Report;
            default:
                section.Error("on_unverified", "must be \"restore\" (put the last verified digest back) or \"report\" (only report it)");
                return null;
        }
    }

    private static Schedule ReadSchedule(TomlSection section, Schedule current)
    {
        var result = current with
        {
            Interval = Duration(section, "interval", TimeSpan.FromDays(7), minimum: TimeSpan.FromSeconds(10)) ?? current.Interval,
            Jitter = Duration(section, "jitter", TimeSpan.FromDays(1)) ?? current.Jitter,
        };
        var zone = TimeZoneInfo.Utc;
        if (section.String("time_zone") is { } zoneName)
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
            }
            // SecurityException: the name is a folder of the zone database ("Europe/"), which
            // .NET tries to open as a zone file and cannot read.
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException)
            {
                section.Error("time_zone", $"'{zoneName}' is not a known time zone (e.g. \"UTC\", \"Europe/Berlin\")");
            }
        }
        if (section.Has("windows"))
        {
            var windows = new List<MaintenanceWindow>();
            foreach (var text in section.Strings("windows"))
            {
                if (MaintenanceWindow.TryParse(text, zone, out var window, out var error))
                {
                    windows.Add(window!);
                }
                else
                {
                    section.Error("windows", error);
                }
            }
            result = result with { Windows = windows };
        }
        return result;
    }

    private static HealthGateSettings ReadHealth(TomlSection section, HealthGateSettings current)
    {
        var result = current with
        {
            ContainerHealth = section.Bool("container_health") ?? current.ContainerHealth,
            Soak = Duration(section, "soak", TimeSpan.FromHours(1)) ?? current.Soak,
            CheckTimeout = Duration(section, "check_timeout", TimeSpan.FromHours(1)) ?? current.CheckTimeout,
        };
        if (section.String("url") is { } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                result = result with { HttpProbe = uri };
            }
            else
            {
                section.Error("url", "must be an http(s) URL");
            }
        }
        if (section.String("command") is { } command)
        {
            result = result with { Command = command.Split(' ', StringSplitOptions.RemoveEmptyEntries) };
        }
        return result;
    }

    private static TimeSpan? Duration(TomlSection section, string key, TimeSpan maximum, TimeSpan? minimum = null)
    {
        if (section.String(key) is not { } text)
        {
            return null;
        }
        if (Durations.TryParse(text, out var value) && value <= maximum && value >= (minimum ?? TimeSpan.Zero))
        {
            return value;
        }
        section.Error(key, $"'{text}' is not a duration between {(minimum ?? TimeSpan.Zero).TotalSeconds:0} s and {maximum.TotalSeconds:0} s (e.g. \"30s\", \"15m\")");
        return null;
    }
}
