using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Tests.Fakes;

/// <summary>systemd as the engine sees it: restarts follow podman's tags; results and health are scripted.</summary>
internal sealed class FakeUnits(FakePodman podman) : IUnitControl
{
    public List<string> Restarts { get; } = [];

    /// <summary>The job result of the next restarts (by image the unit will run): default done.</summary>
    public Func<string, string> ResultFor { get; set; } = _ => "done";

    /// <summary>Whether the unit is active afterwards, by image it runs.</summary>
    public Func<string, bool> ActiveWith { get; set; } = _ => true;

    /// <summary>Whether a given unit is active with a given image; when set, it decides instead of <see cref="ActiveWith"/>.</summary>
    public Func<string, string, bool>? ActiveFor { get; set; }

    public uint RestartCount { get; set; }

    /// <summary>The ExecStart commands (argv) by unit; a unit not named here has none.</summary>
    public Dictionary<string, IReadOnlyList<IReadOnlyList<string>>> ExecStart { get; } = new(StringComparer.Ordinal);

    public Task<JobOutcome> RestartAsync(string unit, CancellationToken cancellationToken)
    {
        podman.Restarted(unit);
        var image = podman.Units[unit].ImageId;
        Restarts.Add($"{unit} → {image}");
        var word = ResultFor(image);
        return Task.FromResult(new JobOutcome(unit, word, State(unit)));
    }

    public Task<UnitState> GetStateAsync(string unit, CancellationToken cancellationToken) => Task.FromResult(State(unit));

    public Task<IReadOnlyList<IReadOnlyList<string>>> GetExecStartAsync(string unit, CancellationToken cancellationToken) =>
        Task.FromResult(ExecStart.GetValueOrDefault(unit, []));

    private UnitState State(string unit)
    {
        if (!podman.Units.TryGetValue(unit, out var running))
        {
            return new UnitState(unit, "loaded", "failed", "failed", "exit-code", 1, RestartCount, "inv-" + Restarts.Count);
        }
        var image = running.ImageId;
        var active = ActiveFor?.Invoke(unit, image) ?? podman.ImagesOf(unit).All(ActiveWith);
        return new UnitState(unit, "loaded", active ? "active" : "failed", active ? "running" : "failed", active ? "success" : "exit-code",
            active ? 0 : 1, RestartCount, "inv-" + Restarts.Count);
    }
}

internal sealed class FakeHttp : IHttpProbe
{
    public Queue<bool> Answers { get; } = new();

    public List<string?> Containers { get; } = [];

    public Task<(bool Healthy, string Detail)> ProbeAsync(Uri url, string? container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Containers.Add(container);
        var ok = Answers.Count > 0 ? Answers.Dequeue() : true;
        return Task.FromResult((ok, $"GET {url} → {(ok ? 200 : 503)}"));
    }
}
