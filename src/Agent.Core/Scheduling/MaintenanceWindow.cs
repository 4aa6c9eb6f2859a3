using System.Globalization;

namespace UpdateAgent.Core.Scheduling;

/// <summary>
/// When updates may happen: some days of the week, from a start time for a length, in a time
/// zone. Written <c>Mon..Fri 02:00-04:00</c> or <c>Sat,Sun 10:00-12:30</c> or <c>* 00:00-24:00</c>.
/// </summary>
/// <param name="Days">The days on which a window starts.</param>
/// <param name="Start">Start time of day.</param>
/// <param name="Length">Length of the window.</param>
/// <param name="TimeZone">The zone the times are in.</param>
public sealed record MaintenanceWindow(IReadOnlySet<DayOfWeek> Days, TimeSpan Start, TimeSpan Length, TimeZoneInfo TimeZone)
{
    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>Whether <paramref name="instant"/> falls inside a window.</summary>
    public bool Contains(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZone);
        // A window may run past midnight, so yesterday's start counts too.
        for (var back = 0; back <= 1; back++)
        {
            var day = local.Date.AddDays(-back);
            if (!Days.Contains(day.DayOfWeek))
            {
                continue;
            }
            var start = new DateTimeOffset(day + Start, TimeZone.GetUtcOffset(day + Start));
            if (instant >= start && instant < start + Length)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The next instant at or after <paramref name="after"/> at which a window opens (or <paramref name="after"/> if inside one).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset after)
    {
        if (Contains(after))
        {
            return after;
        }
        var local = TimeZoneInfo.ConvertTime(after, TimeZone);
        for (var ahead = 0; ahead <= 8; ahead++)
        {
            var day = local.Date.AddDays(ahead);
            if (!Days.Contains(day.DayOfWeek))
            {
                continue;
            }
            var start = new DateTimeOffset(day + Start, TimeZone.GetUtcOffset(day + Start));
            if (start >= after)
            {
                return start;
            }
        }
        return after.AddDays(7); // unreachable for a window with at least one day
    }

    /// <summary>Parses <c>DAYS HH:MM-HH:MM</c>; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string text, TimeZoneInfo zone, out MaintenanceWindow? window, out string error)
    {
        window = null;
        error = "";
        var parts = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            error = $"'{text}' is not 'DAYS HH:MM-HH:MM' (e.g. 'Mon..Fri 02:00-04:00')";
            return false;
        }
        var days = new HashSet<DayOfWeek>();
        foreach (var item in parts[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item == "*")
            {
                days.UnionWith(Enum.GetValues<DayOfWeek>());
                continue;
            }
            var range = item.Split("..");
            var first = Array.FindIndex(DayNames, d => string.Equals(d, range[0], StringComparison.OrdinalIgnoreCase));
            var last = range.Length == 2 ? Array.FindIndex(DayNames, d => string.Equals(d, range[1], StringComparison.OrdinalIgnoreCase)) : first;
            if (first < 0 || last < 0 || range.Length > 2)
            {
                error = $"'{item}' is not a day or day range (Mon, Tue, … or Mon..Fri or *)";
                return false;
            }
            for (var d = first; ; d = (d + 1) % 7)
            {
                days.Add((DayOfWeek)d);
                if (d == last)
                {
                    break;
                }
            }
        }
        var times = parts[1].Split('-');
        if (times.Length != 2 || !TryTime(times[0], out var start) || !TryTime(times[1], out var end) || end == start)
        {
            error = $"'{parts[1]}' is not 'HH:MM-HH:MM' with two different times";
            return false;
        }
        var length = end > start ? end - start : end + TimeSpan.FromDays(1) - start;
        window = new MaintenanceWindow(days, start, length, zone);
        return true;
    }

    private static bool TryTime(string text, out TimeSpan time)
    {
        if (text == "24:00")
        {
            time = TimeSpan.FromDays(1);
            return true;
        }
        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out time);
    }
}
