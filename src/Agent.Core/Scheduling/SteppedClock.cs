namespace UpdateAgent.Core.Scheduling;

/// <summary>
/// A clock whose wall time can be stepped — as <c>date -s</c>, a hypervisor resuming a guest or a
/// first NTP sync steps <c>CLOCK_REALTIME</c> — while its monotonic time and timers run on from
/// the clock it wraps. Durations (soak windows, deadlines) must be measured on the monotonic time
/// and so not move; what is stamped with the wall time (history, ledger) does. The fault tests
/// step it through <c>UPDATE_AGENT_FAULT_CLOCK_STEP</c>.
/// </summary>
/// <param name="inner">The clock whose monotonic time, timers and time zone this one keeps.</param>
public sealed class SteppedClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the wall time has been stepped from the wrapped clock's.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Steps the wall time by <paramref name="by"/> (back when negative); the monotonic time does not move.</summary>
    public void Step(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    /// <inheritdoc/>
    public override long GetTimestamp() => inner.GetTimestamp();

    /// <inheritdoc/>
    public override long TimestampFrequency => inner.TimestampFrequency;

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
