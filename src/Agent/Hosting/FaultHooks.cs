using System.Diagnostics;
using System.Globalization;
using UpdateAgent.Core.Scheduling;

namespace UpdateAgent.Hosting;

/// <summary>
/// The fault tests' hooks into a real process, read from the environment: after a named step of an
/// update the process kills itself, sends itself SIGTERM, holds until a file is removed, or steps
/// its wall clock. Without any of the variables there are no hooks and nothing changes.
/// </summary>
internal sealed class FaultHooks
{
    /// <summary>The process kills itself (SIGKILL) right after the named step, to prove crash recovery.</summary>
    public const string KillVariable = "UPDATE_AGENT_FAULT_KILL_AFTER";

    /// <summary>The process sends itself SIGTERM once the named step's outcome is journaled.</summary>
    public const string TermVariable = "UPDATE_AGENT_FAULT_TERM_AFTER";

    /// <summary>
    /// <c>POINT:FILE</c>. The first time the named step is reached the process writes FILE and waits
    /// until it is removed (at most five minutes), so a test can break something (podman, the bus,
    /// the registry, the disk) between two steps of a real update. Only the first time: a step
    /// reached again (a recovery the broken part kept from finishing is tried again in the same
    /// pass) must not wait for a test that has moved on.
    /// </summary>
    public const string PauseVariable = "UPDATE_AGENT_FAULT_PAUSE_AFTER";

    /// <summary>
    /// <c>POINT:SECONDS</c>. The first time the named step is reached (<c>start</c>: at once) the wall
    /// clock steps by SECONDS, back when negative; the monotonic clock does not move, as on a real host.
    /// </summary>
    public const string ClockStepVariable = "UPDATE_AGENT_FAULT_CLOCK_STEP";

    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(5);

    private readonly string? _kill;
    private readonly string? _term;
    private (string Point, string File)? _pause;
    private (string Point, TimeSpan By)? _step;

    private FaultHooks(string? kill, string? term, (string, string)? pause, (string, TimeSpan)? step)
    {
        _kill = kill;
        _term = term;
        _pause = pause;
        _step = step;
        if (step is { } s)
        {
            Clock = new SteppedClock(TimeProvider.System);
            if (s.Item1 == "start")
            {
                Clock.Step(s.Item2);
            }
        }
    }

    /// <summary>The clock the process runs on when a step is asked for; otherwise null (the system's).</summary>
    public SteppedClock? Clock { get; }

    /// <summary>The hooks the environment asks for, or null when it asks for none.</summary>
    public static FaultHooks? FromEnvironment()
    {
        var kill = Environment.GetEnvironmentVariable(KillVariable);
        var term = Environment.GetEnvironmentVariable(TermVariable);
        var pause = Environment.GetEnvironmentVariable(PauseVariable)?.Split(':', 2) is [var point, var file] ? (point, file) : ((string, string)?)null;
        (string, TimeSpan)? step = Environment.GetEnvironmentVariable(ClockStepVariable)?.Split(':', 2) is [var at, var seconds]
            && double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var by)
            ? (at, TimeSpan.FromSeconds(by))
            : null;
        return string.IsNullOrEmpty(kill) && string.IsNullOrEmpty(term) && pause is null && step is null
            ? null
            : new FaultHooks(kill, term, pause, step);
    }

    /// <summary>Told each step of an update once its outcome is journaled.</summary>
    public void Reached(string step)
    {
        if (_step is { } s && s.Point == step)
        {
            _step = null;
            Console.Error.WriteLine($"update-agent: {ClockStepVariable}: the wall clock steps by {s.By.TotalSeconds:0} s after {step}");
            Clock!.Step(s.By);
        }
        if (_pause is { } pause && pause.Point == step)
        {
            _pause = null;
            Console.Error.WriteLine($"update-agent: {PauseVariable}: paused after {step} until {pause.File} is removed");
            File.WriteAllText(pause.File, step);
            var until = DateTime.UtcNow + LongestPause;
            // The checkpoint is synchronous by design (it must hold the step where it is); polling is enough for a test hook.
            while (File.Exists(pause.File) && DateTime.UtcNow < until)
            {
                Thread.Sleep(50);
            }
        }
        if (step == _kill)
        {
            Console.Error.WriteLine($"update-agent: {KillVariable}={_kill}: killing myself now");
            Process.GetCurrentProcess().Kill();
        }
        else if (step == _term)
        {
            Console.Error.WriteLine($"update-agent: {TermVariable}={_term}: sending myself SIGTERM now");
            SelfSignal.Terminate();
        }
    }
}
