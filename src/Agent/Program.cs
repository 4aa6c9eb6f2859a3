namespace UpdateAgent;

/// <summary>Entry point of the <c>update-agent</c> executable.</summary>
public static class Program
{
    /// <summary>Runs the command named by <paramref name="args"/> and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Out.WriteLine("update-agent: no command is implemented yet.");
        return 2;
    }
}
