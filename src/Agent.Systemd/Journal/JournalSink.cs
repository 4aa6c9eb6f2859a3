using System.Text;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace UpdateAgent.Systemd.Journal;

/// <summary>
/// A Serilog sink writing each event as one journald entry over the native protocol, with every
/// property as a field a person can match in <c>journalctl</c>. When journald cannot take an
/// entry, that entry goes to standard error with an sd-daemon priority prefix instead; logging
/// never throws into the caller.
/// </summary>
public sealed class JournalSink : ILogEventSink, IDisposable
{
    private const int WarningPriority = 4;

    private readonly JournalEventFormatter _formatter;
    private readonly JournalTransport _transport;
    private readonly StderrFallback _fallback;
    private int _failing;
    private long _datagrams;
    private long _memfds;
    private long _fallbacks;

    /// <summary>A sink with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public JournalSink(JournalSinkOptions? options = null)
    {
        options ??= new JournalSinkOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                "The journal sink's options are not usable:\n  " + string.Join("\n  ", problems), nameof(options));
        }
        // journald and journalctl print IDs lower-case; matching is exact, so store them that way.
        var messageIds = options.MessageIds.ToDictionary(pair => pair.Key, pair => pair.Value.ToLowerInvariant());
        _formatter = new JournalEventFormatter(options.SyslogIdentifier, messageIds, options.MaxFieldBytes, options.FormatProvider);
        _fallback = new StderrFallback(options.FallbackWriter ?? Console.Error);
        _transport = new JournalTransport(options.SocketPath, options.MaxDatagramBytes);
    }

    /// <summary>The journal socket entries are sent to.</summary>
    public string SocketPath => _transport.SocketPath;

    /// <summary>Entries journald accepted as a single datagram.</summary>
    public long DatagramEntries => Interlocked.Read(ref _datagrams);

    /// <summary>Entries journald accepted in a sealed memfd, being too large for a datagram.</summary>
    public long MemfdEntries => Interlocked.Read(ref _memfds);

    /// <summary>Entries written to the fallback (standard error) because journald could not take them.</summary>
    public long FallbackEntries => Interlocked.Read(ref _fallbacks);

    /// <summary>Sends <paramref name="logEvent"/> to journald, or to the fallback when that fails. Never throws.</summary>
    public void Emit(LogEvent logEvent)
    {
        if (logEvent is null)
        {
            return;
        }
        JournalEntry entry;
        try
        {
            entry = _formatter.Format(logEvent);
        }
        // Logging must not throw into the caller; the failure is reported with the event.
        catch (Exception e)
        {
            FallBack(logEvent, $"journal sink: could not render an entry ({e.GetType().Name}: {e.Message}); it follows as text", notice: true);
            return;
        }
        try
        {
            var delivery = _transport.Send(entry.Bytes.Span);
            Interlocked.Increment(ref delivery == JournalDelivery.Memfd ? ref _memfds : ref _datagrams);
            Volatile.Write(ref _failing, 0);
        }
        catch (Exception e)
        {
            // Say why once per run of failures, not once per entry: a journald that is gone would
            // otherwise double every line on standard error.
            var first = Interlocked.Exchange(ref _failing, 1) == 0;
            FallBack(logEvent,
                $"journal sink: journald at {SocketPath} did not take an entry of {entry.Length} bytes ({e.Message}); "
                + "writing entries to standard error until it does", notice: first);
        }
    }

    private void FallBack(LogEvent logEvent, string reason, bool notice)
    {
        Interlocked.Increment(ref _fallbacks);
        try
        {
            var priority = JournalPriority.From(logEvent.Level);
            if (notice)
            {
                _fallback.Notice(WarningPriority, reason);
            }
            _fallback.Write(priority, RenderForFallback(logEvent), ExceptionForFallback(logEvent));
        }
        // The last resort: Serilog's own diagnostics, never the caller.
        catch (Exception e)
        {
            SelfLog.WriteLine("{0}; standard error failed as well: {1}", reason, e);
        }
    }

    // What broke the normal path may break rendering too; the template text always exists.
    private byte[] RenderForFallback(LogEvent logEvent)
    {
        try
        {
            return _formatter.RenderMessage(logEvent);
        }
        catch (Exception)
        {
            return Encoding.UTF8.GetBytes(logEvent.MessageTemplate.Text);
        }
    }

    private byte[] ExceptionForFallback(LogEvent logEvent)
    {
        if (logEvent.Exception is null)
        {
            return [];
        }
        try
        {
            return _formatter.RenderException(logEvent.Exception);
        }
        catch (Exception)
        {
            return Encoding.UTF8.GetBytes($"{logEvent.Exception.GetType().FullName}: {logEvent.Exception.Message}");
        }
    }

    /// <summary>Closes the socket; entries emitted afterwards go to the fallback.</summary>
    public void Dispose() => _transport.Dispose();
}
