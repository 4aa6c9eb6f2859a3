using System.CommandLine;
using UpdateAgent.Commands;
using UpdateAgent.Core.History;
using UpdateAgent.Daemon;
using UpdateAgent.Hosting;

namespace UpdateAgent;

/// <summary>Entry point of the <c>update-agent</c> executable: a thin host over one command per verb.</summary>
public static class Program
{
    /// <summary>Runs the command named by <paramref name="args"/> and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        AgentScope.Current = AgentScope.FromArguments(ref args);
        try
        {
            // SIGTERM cancels the command's token; the command then finishes or rolls back the step it is
            // in. System.CommandLine's default would return from Main 2 s after the signal, mid-step, so
            // the wait is the daemon's whole stop budget (the unit's TimeoutStopSec= is above it).
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = RunCommand.ShutdownTimeout };
            return await BuildRoot().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SystemSqliteMissingException or HistoryStoreException)
        {
            // A missing OS library or a damaged store is a problem with one fix; a stack trace would hide it.
            await Console.Error.WriteLineAsync($"update-agent: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (Exception e)
        {
            // What System.CommandLine's own handler does with everything else: say it, exit 1.
            if (e is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"Unhandled exception: {e}").ConfigureAwait(false);
            }
            return 1;
        }
    }

    /// <summary>The command tree; tests parse and invoke it in process.</summary>
    public static RootCommand BuildRoot() => new(Help.Root)
    {
        RunCommand.Create(),
        CheckCommand.Create(),
        StatusCommand.Create(),
        HistoryCommand.Create(),
        HoldCommands.Hold(),
        HoldCommands.Release(),
        HoldCommands.Quarantine(),
        UnitsCommand.Create(),
        GuardCommand.Create(),
        RollbackCommand.Create(),
        DoctorCommand.Create(),
        VerifyCommand.Create(),
        BlessCommand.Create(),
    };
}
