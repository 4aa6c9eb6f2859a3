namespace UpdateAgent.Podman;

/// <summary>What running a container's health check produced.</summary>
public enum HealthCheckOutcome
{
    /// <summary>The check ran; see <see cref="HealthCheckRun.Status"/> for the verdict.</summary>
    Ran,

    /// <summary>The container defines no health check, so there was nothing to run.</summary>
    NotDefined,

    /// <summary>The container is not running, so the check could not run.</summary>
    NotRunning,
}
