namespace UpdateAgent.Core.Health;

/// <summary>
/// What "healthy after the restart" means for one unit. Always: the restart job ended
/// <c>done</c> and the unit is active. Then, in order: the containers' own health checks (when
/// they define one), an HTTP probe, a command in the container, and a soak window in which the
/// unit stays active without restarting.
/// </summary>
public sealed record HealthGateSettings
{
    /// <summary>The default soak window.</summary>
    public static readonly TimeSpan DefaultSoak = TimeSpan.FromSeconds(30);

    /// <summary>The default time a check may take to pass.</summary>
    public static readonly TimeSpan DefaultCheckTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How often checks are repeated while waiting.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Require containers that define a health check to reach <c>healthy</c>.</summary>
    public bool ContainerHealth { get; init; } = true;

    /// <summary>An HTTP URL that must answer 2xx, or null.</summary>
    public Uri? HttpProbe { get; init; }

    /// <summary>A command (program and arguments) that must exit 0 in the unit's first container, or null.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>How long the unit must stay active with no restarts.</summary>
    public TimeSpan Soak { get; init; } = DefaultSoak;

    /// <summary>How long each check may take to pass before the gate fails.</summary>
    public TimeSpan CheckTimeout { get; init; } = DefaultCheckTimeout;

    /// <summary>The settings with per-unit overrides from container labels applied (<see cref="HealthLabels"/>).</summary>
    public HealthGateSettings WithLabels(IReadOnlyDictionary<string, string> labels, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(errors);
        var result = this;
        if (labels.TryGetValue(HealthLabels.Url, out var url))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                result = result with { HttpProbe = uri };
            }
            else
            {
                errors.Add($"label {HealthLabels.Url}='{url}' is not an http(s) URL");
            }
        }
        if (labels.TryGetValue(HealthLabels.Command, out var command))
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0)
            {
                result = result with { Command = words };
            }
            else
            {
                errors.Add($"label {HealthLabels.Command} is empty");
            }
        }
        result = Duration(labels, HealthLabels.Soak, errors) is { } soak ? result with { Soak = soak } : result;
        result = Duration(labels, HealthLabels.Timeout, errors) is { } timeout ? result with { CheckTimeout = timeout } : result;
        return result;
    }

    private static TimeSpan? Duration(IReadOnlyDictionary<string, string> labels, string key, ICollection<string> errors)
    {
        if (!labels.TryGetValue(key, out var text))
        {
            return null;
        }
        if (Durations.TryParse(text, out var value) && value <= TimeSpan.FromHours(1))
        {
            return value;
        }
        errors.Add($"label {key}='{text}' is not a duration up to 1h (e.g. 30s, 2m)");
        return null;
    }
}

/// <summary>Container labels that set a unit's health gate, beside podman's own <c>io.containers.autoupdate</c>.</summary>
public static class HealthLabels
{
    /// <summary>HTTP URL that must answer 2xx.</summary>
    public const string Url = "io.containers.autoupdate.health-url";

    /// <summary>Command that must exit 0 inside the container (split at spaces, no shell).</summary>
    public const string Command = "io.containers.autoupdate.health-cmd";

    /// <summary>Soak window, e.g. <c>30s</c>.</summary>
    public const string Soak = "io.containers.autoupdate.soak";

    /// <summary>Time each check may take, e.g. <c>60s</c>.</summary>
    public const string Timeout = "io.containers.autoupdate.health-timeout";
}
