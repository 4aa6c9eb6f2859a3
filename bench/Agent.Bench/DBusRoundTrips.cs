using System.Diagnostics;
using System.Globalization;
using UpdateAgent.Systemd;
using UpdateAgent.Testing;

namespace UpdateAgent.Bench;

/// <summary>
/// GetUnit + Get(ActiveState) against a real systemd's bus: <see cref="SystemdManager"/> on one connection, next to
/// <c>busctl</c> doing the same two calls per round trip, each a new process, as a shell loop would.
/// </summary>
internal static class DBusRoundTrips
{
    private const string Unit = "dbus.service";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("dbus: give the bus socket path");
            return 2;
        }
        var socket = args[0];
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var budget = TimeSpan.FromSeconds(seconds);

        await using var systemd = await SystemdManager.ConnectAsync($"unix:path={socket}");
        for (var i = 0; i < 200; i++)
        {
            await RoundTripAsync(systemd); // warm up the JIT and the connection
        }
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var ours = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < budget)
        {
            await RoundTripAsync(systemd);
            ours++;
        }
        var oursRate = ours / watch.Elapsed.TotalSeconds;
        var bytesPerTrip = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)ours;

        var busctl = 0;
        var address = $"unix:path={socket}";
        watch.Restart();
        while (watch.Elapsed < budget)
        {
            var unitPath = (await ProcessRunner.RunAsync("busctl", ["--address", address, "call", SystemdNames.Destination, SystemdNames.ManagerPath, SystemdNames.ManagerInterface, "GetUnit", "s", Unit]))
                .EnsureSuccess("busctl call GetUnit").StandardOutput.Split('"')[1];
            (await ProcessRunner.RunAsync("busctl", ["--address", address, "get-property", SystemdNames.Destination, unitPath, SystemdNames.UnitInterface, "ActiveState"]))
                .EnsureSuccess("busctl get-property");
            busctl++;
        }
        var busctlRate = busctl / watch.Elapsed.TotalSeconds;

        Console.WriteLine($"GetUnit+Get(ActiveState) on {Unit}, {seconds:0.#} s each, same bus, same run");
        Console.WriteLine($"  update-agent client : {oursRate,10:0} round trips/s  ({ours} trips, {bytesPerTrip:0} bytes allocated per trip)");
        Console.WriteLine($"  busctl (2 processes): {busctlRate,10:0.0} round trips/s  ({busctl} trips)");
        Console.WriteLine($"  ratio               : {oursRate / busctlRate,10:0.0}x busctl");
        return 0;
    }

    private static async Task RoundTripAsync(SystemdManager systemd)
    {
        var path = await systemd.GetUnitAsync(Unit);
        var state = await systemd.GetStringPropertyAsync(path, SystemdNames.UnitInterface, "ActiveState");
        if (state.Length == 0)
        {
            throw new InvalidOperationException("empty ActiveState");
        }
    }
}
