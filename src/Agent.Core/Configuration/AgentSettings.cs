using UpdateAgent.Core.Engine;
using UpdateAgent.Core.Health;
using UpdateAgent.Core.Scheduling;

namespace UpdateAgent.Core.Configuration;

/// <summary>The agent's settings after every configuration file was read and checked (schema in README).</summary>
public sealed record AgentSettings
{
    /// <summary>The shipped defaults, overridden by the host's file and drop-ins.</summary>
    public const string VendorFile = "/usr/lib/update-agent/agent.toml";

    /// <summary>The host's configuration file.</summary>
    public const string HostFile = "/etc/update-agent/agent.toml";

    /// <summary>Drop-ins, read in name order after <see cref="HostFile"/>.</summary>
    public const string DropInDirectory = "/etc/update-agent/agent.d";

    /// <summary>The trust policy file.</summary>
    public string PolicyPath { get; init; } = "/etc/update-agent/policy.toml";

    /// <summary>Where history and the intent journal live.</summary>
    public string StateDirectory { get; init; } = "/var/lib/update-agent";

    /// <summary>The Podman API socket.</summary>
    public string PodmanSocket { get; init; } = "/run/podman/podman.sock";

    /// <summary>
    /// The D-Bus address of systemd's bus. Core knows nothing of D-Bus: the configuration loader
    /// starts from the system bus's address (<c>DBUS_SYSTEM_BUS_ADDRESS</c> or the standard socket).
    /// </summary>
    public string DBusAddress { get; init; } = "";

    /// <summary>The daemon's API socket.</summary>
    public string ApiSocket { get; init; } = "/run/update-agent/api.sock";

    /// <summary>A group whose members may use the read-only API commands; null: root only.</summary>
    public string? ApiGroup { get; init; }

    /// <summary>How long a restart job may take.</summary>
    public TimeSpan RestartTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long podman may take to pull one image before the update fails and the unit stays on
    /// what it runs: a registry that stops answering mid-pull must not hold every other unit's pass.
    /// </summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>When passes run.</summary>
    public Schedule Schedule { get; init; } = new();

    /// <summary>The default health gate.</summary>
    public HealthGateSettings Health { get; init; } = new();

    /// <summary>Per-unit health gates.</summary>
    public IReadOnlyDictionary<string, HealthGateSettings> UnitHealth { get; init; } = new Dictionary<string, HealthGateSettings>(StringComparer.Ordinal);

    /// <summary>What a pass does about a unit that runs an image update-agent did not verify (<c>[agent] on_unverified</c>).</summary>
    public UnverifiedAction OnUnverified { get; init; } = UnverifiedAction.Restore;

    /// <summary>How many of its last verified images each unit keeps (<c>[agent] keep_images</c>, at least 2: what runs and what a rollback needs).</summary>
    public int KeepImages { get; init; } = 3;

    /// <summary>How many days of finished history the store keeps (<c>[agent] history_days</c>); see <c>HistoryStore.Prune</c> for what stays longer.</summary>
    public int HistoryDays { get; init; } = 365;

    /// <summary>Per-unit <c>on_unverified</c> (<c>[units."NAME"] on_unverified</c>).</summary>
    public IReadOnlyDictionary<string, UnverifiedAction> UnitOnUnverified { get; init; } = new Dictionary<string, UnverifiedAction>(StringComparer.Ordinal);

    /// <summary>A webhook told about refusals, updates, rollbacks and failures; null: none.</summary>
    public Uri? Webhook { get; init; }

    /// <summary><c>generic</c> (our JSON) or <c>slack</c> (a <c>text</c> field).</summary>
    public string WebhookFormat { get; init; } = "generic";

    /// <summary>A node_exporter textfile directory to write metrics to; null: none.</summary>
    public string? MetricsTextfileDirectory { get; init; }

    /// <summary>The history database path.</summary>
    public string HistoryPath => Path.Combine(StateDirectory, "history.db");
}
