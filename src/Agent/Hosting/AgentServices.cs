using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Configuration;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.History;
using UpdateAgent.Adapters;
using UpdateAgent.Core.Ports;
using UpdateAgent.Podman;
using UpdateAgent.Systemd;
using UpdateAgent.Trust;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Hosting;

/// <summary>Everything a pass needs, built from the settings: podman, systemd over D-Bus, the registry and verifier, the history.</summary>
internal sealed class AgentServices : IAsyncDisposable
{
    private readonly HttpClient _http;

    private AgentServices(AgentSettings settings, HistoryStore history, PodmanClient podman, IContainerHost host, SystemdManager systemd, RegistryClient registry,
        UpdateMachine machine, UpdateEngine engine, Recovery recovery, UnitPlanner planner, HttpClient http)
    {
        Settings = settings;
        History = history;
        Podman = podman;
        Host = host;
        Systemd = systemd;
        Registry = registry;
        Machine = machine;
        Engine = engine;
        Recovery = recovery;
        Planner = planner;
        _http = http;
    }

    public AgentSettings Settings { get; }
    public HistoryStore History { get; }
    public PodmanClient Podman { get; }

    /// <summary>Podman as the engine sees it (Core's port), for commands that work with the engine's plans.</summary>
    public IContainerHost Host { get; }

    public SystemdManager Systemd { get; }
    public RegistryClient Registry { get; }
    public UpdateMachine Machine { get; }
    public UpdateEngine Engine { get; }
    public Recovery Recovery { get; }

    /// <summary>Builds unit plans the way the engine and recovery do (for <c>rollback</c>).</summary>
    public UnitPlanner Planner { get; }

    public static async Task<AgentServices> CreateAsync(AgentSettings settings, TrustPolicy policy, ILoggerFactory loggers, CancellationToken cancellationToken, Action<string>? status = null)
    {
        var faults = FaultHooks.FromEnvironment();
        var time = faults?.Clock ?? TimeProvider.System;
        var history = HistoryStore.Open(settings.HistoryPath, time);
        var podman = new PodmanClient(new PodmanClientOptions { SocketPath = settings.PodmanSocket, PullTimeout = settings.PullTimeout }, loggers.CreateLogger<PodmanClient>(), time);
        SystemdManager systemd;
        try
        {
            systemd = await SystemdManager.ConnectAsync(settings.DBusAddress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            podman.Dispose();
            history.Dispose();
            throw;
        }
        // A restarted dbus-daemon costs the next call a new connection, not every later call; the journal says when.
        var systemdLogger = loggers.CreateLogger("update-agent.systemd");
        systemd.Reconnected = reason => SystemdLog.Reconnected(systemdLogger, settings.DBusAddress, reason);
        var http = TrustServices.CreateHttpClient(policy.CertsDirectories);
        var registryOptions = TrustServices.RegistryOptions(policy);
        var (registry, verifier) = TrustServices.CreateVerifier(policy, http, time, loggers, registryOptions);
        var units = new SystemdUnitControl(systemd, settings.RestartTimeout);
        var host = new PodmanContainerHost(podman, new ContainerRegistryAccess(registryOptions));
        var health = new HealthGate(units, host, new HttpProbe(http, podman, settings.PodmanSocket), time);
        var logger = loggers.CreateLogger("update-agent");
        var machine = new UpdateMachine(host, new TrustImageVerifier(verifier), units, health, history, logger, faults is null ? null : faults.Reached, status);
        var options = new EngineOptions
        {
            DefaultHealth = settings.Health, UnitHealth = settings.UnitHealth,
            OnUnverified = settings.OnUnverified, UnitOnUnverified = settings.UnitOnUnverified, KeepImages = settings.KeepImages,
            HistoryRetention = TimeSpan.FromDays(settings.HistoryDays),
        };
        var engine = new UpdateEngine(host, new RegistryTagResolver(registry), units, machine, history, options, logger, time);
        var recovery = new Recovery(host, machine, history, options, logger);
        return new AgentServices(settings, history, podman, host, systemd, registry, machine, engine, recovery, new UnitPlanner(options), http);
    }

    public async ValueTask DisposeAsync()
    {
        await Systemd.DisposeAsync().ConfigureAwait(false);
        Podman.Dispose();
        _http.Dispose();
        History.Dispose();
    }
}
