using Ports = UpdateAgent.Core.Ports;
using Podman = UpdateAgent.Podman;

namespace UpdateAgent.Adapters;

/// <summary>Podman's records as Core's: only what the engine reads is carried over.</summary>
internal static class PodmanMapping
{
    public static Ports.DiscoveryResult Map(Podman.DiscoveryResult found) =>
        new(found.Units.Select(Map).ToList(), found.Problems.Select(p => new Ports.DiscoveryProblem(p.Subject, p.UnitName, p.Message,
            p.Kind == Podman.DiscoveryProblemKind.Unmanageable, p.Image)).ToList());

    public static Ports.ImageDetails Map(Podman.ImageDetails image) => new(image.Id, image.RepoTags, image.Created, image.Labels);

    public static Ports.HealthCheckRun Map(Podman.HealthCheckRun run) =>
        new(run.Container, run.Outcome switch
        {
            Podman.HealthCheckOutcome.Ran => Ports.HealthCheckOutcome.Ran,
            Podman.HealthCheckOutcome.NotDefined => Ports.HealthCheckOutcome.NotDefined,
            _ => Ports.HealthCheckOutcome.NotRunning,
        }, Map(run.Status), run.Detail);

    public static Ports.HealthStatus Map(Podman.HealthStatus status) => status switch
    {
        Podman.HealthStatus.None => Ports.HealthStatus.None,
        Podman.HealthStatus.Starting => Ports.HealthStatus.Starting,
        Podman.HealthStatus.Healthy => Ports.HealthStatus.Healthy,
        Podman.HealthStatus.Unhealthy => Ports.HealthStatus.Unhealthy,
        _ => Ports.HealthStatus.Unknown,
    };

    private static Ports.ManagedUnit Map(Podman.ManagedUnit unit) =>
        new(unit.UnitName, unit.Policy == Podman.AutoUpdatePolicy.Local ? Ports.AutoUpdatePolicy.Local : Ports.AutoUpdatePolicy.Registry,
            unit.ImageReference, unit.ImageId, unit.RepoDigests,
            unit.Containers.Select(c => new Ports.ManagedContainer(c.Id, c.Name, c.AutoUpdateLabels)).ToList());
}
