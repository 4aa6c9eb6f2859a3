using System.CommandLine;
using UpdateAgent.Commands;

namespace UpdateAgent.Bench.Verify;

/// <summary>update-agent's verify and bless commands, unchanged, in a minimal host.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) =>
        new RootCommand("update-agent verify/bless") { VerifyCommand.Create(), BlessCommand.Create() }.Parse(args).InvokeAsync();
}
