using System.Runtime.InteropServices;
using SharpFuzz;
using SharpFuzz.Common;
using UpdateAgent.Fuzz;
using UpdateAgent.Fuzz.Targets;

// Agent.Fuzz TARGET            run TARGET under afl-fuzz (SharpFuzz's fork server; once on stdin without AFL)
// Agent.Fuzz list              the targets and what each counts as handled
// Agent.Fuzz replay TARGET F…  run files without AFL and print the exception of any crash (triage)

// The instrumented assemblies record every branch into AFL's map, which Fuzzer.Run attaches only
// under afl-fuzz: until then (listing, replaying, building a target's fixed state) they write to
// this scratch map instead of through a null pointer.
unsafe
{
    Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(65536);
}

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Agent.Fuzz TARGET | list | replay TARGET FILE...");
    return 2;
}
if (args[0] == "list")
{
    foreach (var target in TargetRegistry.All)
    {
        Console.WriteLine($"{target.Name,-22} handled: {target.Handled}");
    }
    return 0;
}
if (args[0] == "replay")
{
    return args.Length >= 3 && TargetRegistry.Find(args[1]) is { } replayed ? Replay.Files(replayed, args[2..]) : Unknown(args.ElementAtOrDefault(1));
}
if (TargetRegistry.Find(args[0]) is not { } fuzzed)
{
    return Unknown(args[0]);
}
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    fuzzed.Run(buffer.ToArray());
});
return 0;

static int Unknown(string? name)
{
    Console.Error.WriteLine($"unknown target '{name}'; 'list' names them");
    return 2;
}
