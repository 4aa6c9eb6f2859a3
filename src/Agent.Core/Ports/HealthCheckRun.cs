namespace UpdateAgent.Core.Ports;

/// <summary>One run of a container's health check.</summary>
/// <param name="Container">The container.</param>
/// <param name="Outcome">Whether it ran.</param>
/// <param name="Status">The status after the run.</param>
/// <param name="Detail">The check's output, when there is some.</param>
public sealed record HealthCheckRun(string Container, HealthCheckOutcome Outcome, HealthStatus Status, string? Detail);
