using Microsoft.Extensions.Time.Testing;
using UpdateAgent.Core.Scheduling;

namespace UpdateAgent.Core.Tests;

/// <summary>Maintenance windows, jitter and the tick loop on a fake clock.</summary>
public sealed class ScheduleTests
{
    private static MaintenanceWindow Window(string text)
    {
        Assert.True(MaintenanceWindow.TryParse(text, TimeZoneInfo.Utc, out var window, out var error), error);
        return window!;
    }

    [Fact]
    public void A_weekday_night_window_contains_its_hours_only()
    {
        var window = Window("Mon..Fri 02:00-04:00");
        Assert.True(window.Contains(new DateTimeOffset(2026, 11, 23, 2, 30, 0, TimeSpan.Zero))); // Monday
        Assert.False(window.Contains(new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero)));
        Assert.False(window.Contains(new DateTimeOffset(2026, 11, 22, 2, 30, 0, TimeSpan.Zero))); // Sunday
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero), window.NextOpening(new DateTimeOffset(2026, 11, 23, 5, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero), window.NextOpening(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_window_may_run_past_midnight()
    {
        var window = Window("Sat 23:00-01:00");
        Assert.True(window.Contains(new DateTimeOffset(2026, 11, 29, 0, 30, 0, TimeSpan.Zero))); // Sunday 00:30, Saturday's window
        Assert.False(window.Contains(new DateTimeOffset(2026, 11, 30, 0, 30, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("Mon", "not 'DAYS HH:MM-HH:MM'")]
    [InlineData("Mon 02:00", "not 'HH:MM-HH:MM'")]
    [InlineData("Funday 02:00-03:00", "not a day")]
    [InlineData("Mon 02:00-02:00", "two different times")]
    [InlineData("Mon 25:00-26:00", "two different times")]
    public void Bad_windows_say_why(string text, string reason)
    {
        Assert.False(MaintenanceWindow.TryParse(text, TimeZoneInfo.Utc, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_next_pass_is_one_interval_plus_jitter_and_waits_for_a_window()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var plain = new Schedule { Interval = TimeSpan.FromMinutes(15), Jitter = TimeSpan.FromMinutes(2) };
        Assert.Equal(now.AddMinutes(16), plain.Next(now, 0.5));
        var windowed = plain with { Windows = [Window("Mon..Fri 02:00-04:00")] };
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero), windowed.Next(now, 0.5));
        Assert.False(windowed.MayUpdate(now));
    }

    [Fact]
    public async Task The_tick_loop_runs_a_pass_per_interval_and_survives_a_failing_pass()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var loop = new TickLoop(new Schedule { Interval = TimeSpan.FromMinutes(10), Jitter = TimeSpan.Zero }, time, new Random(1));
        var passes = 0;
        var errors = new List<Exception>();
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync((_, _) => ++passes == 2 ? throw new InvalidOperationException("registry on fire") : Task.CompletedTask, errors.Add, stop.Token);
        for (var minute = 0; minute < 35; minute++)
        {
            await Task.Yield();
            time.Advance(TimeSpan.FromMinutes(1));
        }
        await stop.CancelAsync();
        await running;
        Assert.Equal(4, passes); // at 0, 10, 20 and 30 minutes
        Assert.Equal("registry on fire", Assert.Single(errors).Message);
    }
}
