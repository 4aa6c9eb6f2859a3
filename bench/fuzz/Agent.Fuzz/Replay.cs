using UpdateAgent.Fuzz.Targets;

namespace UpdateAgent.Fuzz;

/// <summary>Runs saved inputs outside AFL, so that a crash shows its exception and stack.</summary>
internal static class Replay
{
    /// <summary>1 when any file crashed the target, 2 when a path does not exist, else 0.</summary>
    public static int Files(FuzzTarget target, IReadOnlyList<string> files)
    {
        if (files.FirstOrDefault(f => !File.Exists(f) && !Directory.Exists(f)) is { } missing)
        {
            Console.Error.WriteLine($"no such file or directory: {missing}");
            return 2;
        }
        var crashed = 0;
        var total = 0;
        foreach (var file in files.SelectMany(Expand))
        {
            total++;
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            // Whatever the target lets through is exactly what this mode exists to show.
#pragma warning disable CA1031
            catch (Exception ex)
#pragma warning restore CA1031
            {
                crashed++;
                Console.WriteLine($"CRASH {file}");
                Console.WriteLine(ex);
            }
        }
        Console.WriteLine($"{target.Name}: {total} inputs, {crashed} crashed");
        return crashed == 0 ? 0 : 1;
    }

    // A directory stands for the files in it (a corpus or AFL's crashes/), README.txt aside.
    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.GetFiles(path).Where(f => Path.GetFileName(f) != "README.txt").Order(StringComparer.Ordinal)
            : [path];
}
