namespace UpdateAgent.Core.Scheduling;

/// <summary>How often passes run: every <see cref="Interval"/> plus a random part of <see cref="Jitter"/>, only inside a window when any are set.</summary>
public sealed record Schedule
{
    /// <summary>The default interval between passes.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(15);

    /// <summary>The default random extra delay, so many hosts do not hit one registry at once.</summary>
    public static readonly TimeSpan DefaultJitter = TimeSpan.FromMinutes(2);

    /// <summary>Time between passes.</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>Upper bound of the random extra delay.</summary>
    public TimeSpan Jitter { get; init; } = DefaultJitter;

    /// <summary>Maintenance windows; empty means any time.</summary>
    public IReadOnlyList<MaintenanceWindow> Windows { get; init; } = [];

    /// <summary>When the pass after one that ended at <paramref name="now"/> should run.</summary>
    public DateTimeOffset Next(DateTimeOffset now, double random01)
    {
        var next = now + Interval + Jitter * Math.Clamp(random01, 0, 1);
        return Windows.Count == 0 ? next : Windows.Min(w => w.NextOpening(next));
    }

    /// <summary>Whether updates may be applied at <paramref name="now"/> (outside windows, passes only check).</summary>
    public bool MayUpdate(DateTimeOffset now) => Windows.Count == 0 || Windows.Any(w => w.Contains(now));
}
