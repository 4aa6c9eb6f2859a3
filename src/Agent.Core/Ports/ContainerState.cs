namespace UpdateAgent.Core.Ports;

/// <summary>What the health gate reads of a container during the soak.</summary>
/// <param name="Name">The container.</param>
/// <param name="Running">Whether it runs.</param>
/// <param name="Health">Its health status.</param>
public sealed record ContainerState(string Name, bool Running, HealthStatus Health);
