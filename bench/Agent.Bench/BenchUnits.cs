using System.Diagnostics;
using System.Net;

namespace UpdateAgent.Bench;

/// <summary>
/// What every bench over the engine starts from: a work folder, the registry behind
/// <see cref="DelayProxy"/>, the images pushed, signed (ci) and blessed (gate, stage=prod), and
/// the units running them. Disposing stops the proxy and removes the folder; the units go with
/// the testbed.
/// </summary>
internal sealed class BenchUnits : IAsyncDisposable
{
    private BenchUnits(string work, DelayProxy proxy, IReadOnlyList<string> repositories)
    {
        Work = work;
        Proxy = proxy;
        Repositories = repositories;
    }

    /// <summary>The folder for keys, configuration and the agent's state.</summary>
    public string Work { get; }

    /// <summary>The proxy every image is named through, counting requests.</summary>
    public DelayProxy Proxy { get; }

    /// <summary>The images' repositories, as the units name them (through the proxy).</summary>
    public IReadOnlyList<string> Repositories { get; }

    /// <summary>The units started, by name.</summary>
    public IReadOnlyList<string> Units { get; private set; } = [];

    /// <summary>Sets everything up for <paramref name="o"/>; says how long it took.</summary>
    public static async Task<BenchUnits> StartAsync(EnginePass.Options o, string bench)
    {
        var work = Directory.CreateTempSubdirectory($"update-agent-bench-{bench}-").FullName;
        var proxy = new DelayProxy(IPEndPoint.Parse(o.Listen), IPEndPoint.Parse(o.Registry), TimeSpan.FromMilliseconds(o.DelayMs), TimeSpan.FromMilliseconds(o.HandshakeMs));
        var set = new BenchUnits(work, proxy, Enumerable.Range(1, o.Images).Select(i => $"{o.Listen}/bench/img{i}").ToList());
        try
        {
            var setup = Stopwatch.StartNew();
            await EnginePass.PushAndSignAsync(o, work, set.Repositories);
            set.Units = await EnginePass.StartUnitsAsync(o, set.Repositories);
            Console.WriteLine($"setup: {o.Images} images pushed and signed (ci) and blessed (gate, stage=prod), {set.Units.Count} units started, {setup.Elapsed.TotalSeconds:0.0} s");
            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }
}
