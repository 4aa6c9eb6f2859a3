using UpdateAgent.Bench;

// Benchmarks that put update-agent next to what a user would use instead, in the same run.
// Each prints its figures and the ratio; none asserts a time.
return args.FirstOrDefault() switch
{
    "dbus" => await DBusRoundTrips.RunAsync(args.Skip(1).ToArray()),
    "engine" => await EnginePass.RunAsync(args.Skip(1).ToArray()),
    "daemon-day" => await DaemonDay.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Agent.Bench dbus SOCKET [seconds]   GetUnit+Get(ActiveState) round trips, ours vs busctl");
    return 2;
}
