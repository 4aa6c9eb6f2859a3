using System.CommandLine;
using UpdateAgent.Commands;
using UpdateAgent.Daemon;

namespace UpdateAgent;

/// <summary>Entry point of the <c>update-agent</c> executable: a thin host over one command per verb.</summary>
public static class Program
{
    /// <summary>Runs the command named by <paramref name="args"/> and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return await BuildRoot().Parse(args).InvokeAsync().ConfigureAwait(false);
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
