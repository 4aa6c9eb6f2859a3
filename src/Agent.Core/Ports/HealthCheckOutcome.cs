namespace UpdateAgent.Core.Ports;

/// <summary>Whether running a container's health check gave a result.</summary>
public enum HealthCheckOutcome
{
    /// <summary>The check ran; its status is the result.</summary>
    Ran,

    /// <summary>The container has no health check: not an error, the gate judges otherwise.</summary>
    NotDefined,

    /// <summary>The container is not running.</summary>
    NotRunning,
}
