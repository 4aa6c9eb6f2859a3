namespace UpdateAgent.Podman;

/// <summary>
/// The result of running a container's health check now. The failing streak is not part of it: Podman 4
/// reports 0 here whatever the streak; <see cref="IPodmanClient.InspectContainerAsync"/> has the real one.
/// </summary>
/// <param name="Container">The container asked about.</param>
/// <param name="Outcome">Whether the check ran at all.</param>
/// <param name="Status">Podman's verdict after this run (<see cref="HealthStatus.None"/> when it did not run).</param>
/// <param name="Detail">Podman's explanation when the check did not run, otherwise <see langword="null"/>.</param>
public sealed record HealthCheckRun(string Container, HealthCheckOutcome Outcome, HealthStatus Status, string? Detail);
