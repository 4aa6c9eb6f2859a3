using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Tests.Fakes;

namespace UpdateAgent.Core.Tests;

/// <summary>The engine wired to fakes, a real SQLite history in a temporary file and a fake clock.</summary>
internal sealed class Rig : IDisposable
{
    public const string App = "127.0.0.1:5000/acme/app:latest";
    public const string Old = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
    public const string New = "sha256:0000000000000000000000000000000000000000000000000000000000000002";
    public const string Bad = "sha256:0000000000000000000000000000000000000000000000000000000000000003";

    private readonly string _directory = Directory.CreateTempSubdirectory("update-agent-core-").FullName;

    public Rig(TimeSpan? soak = null, UnverifiedAction onUnverified = UnverifiedAction.Restore, FaultInjector? faults = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
        Podman = new FakePodman();
        Units = new FakeUnits(Podman);
        Http = new FakeHttp();
        Verifier = new FakeVerifier();
        Registry = new FakeRegistry();
        History = HistoryStore.Open(Path.Combine(_directory, "history.db"), Time);
        Options = new EngineOptions
        {
            DefaultHealth = new HealthGateSettings { Soak = soak ?? TimeSpan.Zero, CheckTimeout = TimeSpan.FromSeconds(10) },
            OnUnverified = onUnverified,
        };
        // With a fault injector every port call (and every statement of the store) can be made to throw.
        var podman = faults?.Wrap<UpdateAgent.Core.Ports.IContainerHost>(Podman) ?? Podman;
        var units = faults?.Wrap<UpdateAgent.Core.Ports.IUnitControl>(Units) ?? Units;
        var http = faults?.Wrap<UpdateAgent.Core.Ports.IHttpProbe>(Http) ?? Http;
        var verifier = faults?.Wrap<UpdateAgent.Core.Ports.IImageVerifier>(Verifier) ?? Verifier;
        var registry = faults?.Wrap<UpdateAgent.Core.Ports.ITagResolver>(Registry) ?? Registry;
        if (faults is not null)
        {
            History.BeforeStatement = sql => faults.Hit("history: " + sql.TrimStart().Split(' ', '\n')[0]);
        }
        Health = new HealthGate(units, podman, http, Time);
        Machine = new UpdateMachine(podman, verifier, units, Health, History, NullLogger.Instance, step => Checkpoints.Add(step));
        Engine = new UpdateEngine(podman, registry, units, Machine, History, Options, NullLogger.Instance, Time);
        Recovery = new Recovery(podman, Machine, History, Options, NullLogger.Instance);
    }

    public FakeTimeProvider Time { get; }
    public FakePodman Podman { get; }
    public FakeUnits Units { get; }
    public FakeHttp Http { get; }
    public FakeVerifier Verifier { get; }
    public FakeRegistry Registry { get; }
    public HistoryStore History { get; }
    public EngineOptions Options { get; }
    public HealthGate Health { get; }
    public UpdateMachine Machine { get; }
    public UpdateEngine Engine { get; }
    public Recovery Recovery { get; }
    public List<string> Checkpoints { get; } = [];

    /// <summary>One unit, app.service, running the old digest; the registry's tag names <paramref name="remote"/>.</summary>
    public Rig WithApp(string remote = Old)
    {
        Podman.AddUnit("app.service", App, "img-old", Old);
        Registry.TagDigests[App] = remote;
        return Verified("app.service", Old, "img-old");
    }

    /// <summary>Puts <paramref name="digest"/> in the unit's ledger, as a pass that verified what runs would.</summary>
    public Rig Verified(string unit, string digest, string imageId, string image = App)
    {
        History.RecordVerified(new LedgerEntry(unit, image, digest, digest, imageId, "adopted", "release-gate", "accepted", default));
        return this;
    }

    public string RunningImage(string unit = "app.service") => Podman.Units[unit].ImageId;

    /// <summary>Runs a pass, advancing the fake clock while it waits (soak windows, polling), never sleeping.</summary>
    public async Task<PassReport> PassAsync(PassRequest? request = null)
    {
        var pass = Engine.RunPassAsync(request ?? new PassRequest(), CancellationToken.None);
        return await Drive(pass);
    }

    public async Task<T> Drive<T>(Task<T> task)
    {
        for (var i = 0; i < 100_000 && !task.IsCompleted; i++)
        {
            await Task.Yield();
            Time.Advance(TimeSpan.FromMilliseconds(500));
        }
        return await task;
    }

    public void Dispose()
    {
        History.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
