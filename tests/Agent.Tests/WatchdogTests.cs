using System.Threading.Channels;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using UpdateAgent.Daemon;
using UpdateAgent.Systemd;

namespace UpdateAgent.Tests;

/// <summary>
/// The watchdog pets only while systemd answers over D-Bus, never waits on it past half the
/// interval, and logs an outage once when it begins and once when it ends. Fake time: no test sleeps.
/// </summary>
public sealed class WatchdogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedProbe _probe = new();
    private readonly Notifier _notifier = new();
    private readonly RecordingLog _log = new();

    [Fact]
    public async Task While_systemd_answers_it_pets_once_per_interval_and_logs_nothing()
    {
        using var stop = new CancellationTokenSource();
        var run = Watchdog().PetAsync(Interval, stop.Token);
        for (var i = 0; i < 3; i++)
        {
            (await _probe.NextAsync()).SetResult();
            Assert.Equal("WATCHDOG=1", await _notifier.NextAsync());
            _time.Advance(Interval);
        }
        await _probe.NextAsync();
        await stop.CancelAsync();
        await run.WaitAsync(Bound);
        Assert.Equal(3, _notifier.Count);
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task An_outage_stops_the_pets_and_is_logged_when_it_begins_and_when_it_ends()
    {
        using var stop = new CancellationTokenSource();
        var run = Watchdog().PetAsync(Interval, stop.Token);
        (await _probe.NextAsync()).SetResult();
        await _notifier.NextAsync();

        _time.Advance(Interval);
        (await _probe.NextAsync()).SetException(new SystemdConnectionException("org.freedesktop.DBus.Peer.Ping: connection to unix:path=/run/dbus/system_bus_socket lost"));
        _time.Advance(Interval);
        (await _probe.NextAsync()).SetException(new SystemdErrorReplyException("org.freedesktop.DBus.Error.ServiceUnknown", "not on the bus", "Ping"));
        _time.Advance(Interval);
        await _probe.NextAsync(); // never answers, and ignores its token: given up on at half the interval
        _time.Advance(Interval / 2);
        _time.Advance(Interval / 2);
        (await _probe.NextAsync()).SetResult();
        Assert.Equal("WATCHDOG=1", await _notifier.NextAsync());

        await stop.CancelAsync();
        await run.WaitAsync(Bound);
        Assert.Equal(2, _notifier.Count);
        Assert.Collection(_log.Entries,
            lost =>
            {
                Assert.Equal((1130, LogLevel.Warning), (lost.Id, lost.Level));
                Assert.Contains("connection to unix:path=/run/dbus/system_bus_socket lost", lost.Message, StringComparison.Ordinal);
            },
            back =>
            {
                Assert.Equal((1131, LogLevel.Information), (back.Id, back.Level));
                Assert.Contains("after 90 s", back.Message, StringComparison.Ordinal);
            });
    }

    [Fact]
    public async Task A_ping_without_answer_is_an_outage_after_half_the_interval_and_the_next_pet_keeps_its_time()
    {
        using var stop = new CancellationTokenSource();
        var run = Watchdog().PetAsync(Interval, stop.Token);
        await _probe.NextAsync();
        _time.Advance(Interval / 2);
        var lost = await _log.NextAsync();
        Assert.Equal(1130, lost.Id);
        Assert.Contains("did not answer within 15 s", lost.Message, StringComparison.Ordinal);

        _time.Advance(Interval / 2);
        (await _probe.NextAsync()).SetResult();
        Assert.Equal("WATCHDOG=1", await _notifier.NextAsync());
        Assert.Contains("after 30 s", (await _log.NextAsync()).Message, StringComparison.Ordinal);
        await stop.CancelAsync();
        await run.WaitAsync(Bound);
    }

    [Fact]
    public async Task Stopping_while_it_asks_ends_at_once_without_a_pet_or_a_log()
    {
        using var stop = new CancellationTokenSource();
        var run = Watchdog().PetAsync(Interval, stop.Token);
        await _probe.NextAsync();
        await stop.CancelAsync();
        await run.WaitAsync(Bound);
        Assert.Equal(0, _notifier.Count);
        Assert.Empty(_log.Entries);
    }

    [Theory]
    [InlineData("20000000", null, 10_000_000L)]
    [InlineData("1000", "self", 500L)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    [InlineData("soon", null, null)]
    [InlineData("20000000", "1", null)]
    public void The_interval_is_half_of_WATCHDOG_USEC_for_this_process_only(string? usec, string? pid, long? microseconds)
    {
        var self = pid == "self" ? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) : pid;
        Assert.Equal(microseconds is { } us ? TimeSpan.FromMicroseconds(us) : null, Daemon.Watchdog.Interval(usec, self));
    }

    private Watchdog Watchdog() => new(_notifier, _probe, _log, _time);

    /// <summary>
    /// Each ping waits for the test to answer it; like a hung peer, it does not look at its token.
    /// An answer runs the watchdog on to its next wait before the test goes on (continuations run
    /// inline), so moving the clock next cannot overtake an answer given at the same instant.
    /// </summary>
    private sealed class ScriptedProbe : ISystemdProbe
    {
        private readonly Channel<TaskCompletionSource> _calls = Channel.CreateUnbounded<TaskCompletionSource>();

        public Task PingAsync(CancellationToken cancellationToken)
        {
            var answer = new TaskCompletionSource();
            _calls.Writer.TryWrite(answer);
            return answer.Task;
        }

        public async Task<TaskCompletionSource> NextAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(Bound);
    }

    private sealed class Notifier : ISystemdNotifier
    {
        private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
        private int _count;

        public bool IsEnabled => true;

        public int Count => Volatile.Read(ref _count);

        public void Notify(ServiceState state)
        {
            Interlocked.Increment(ref _count);
            _sent.Writer.TryWrite(state.ToString());
        }

        public async Task<string> NextAsync() => await _sent.Reader.ReadAsync().AsTask().WaitAsync(Bound);
    }

    private sealed record Entry(int Id, LogLevel Level, string Message);

    private sealed class RecordingLog : ILogger<Watchdog>
    {
        private readonly Channel<Entry> _next = Channel.CreateUnbounded<Entry>();
        private readonly List<Entry> _entries = [];

        public IReadOnlyList<Entry> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new Entry(eventId.Id, logLevel, formatter(state, exception));
            lock (_entries)
            {
                _entries.Add(entry);
            }
            _next.Writer.TryWrite(entry);
        }

        public async Task<Entry> NextAsync() => await _next.Reader.ReadAsync().AsTask().WaitAsync(Bound);
    }
}
