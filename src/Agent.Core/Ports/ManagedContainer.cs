namespace UpdateAgent.Core.Ports;

/// <summary>A container of a managed unit, as the engine needs it: its name for the health gate and its labels for the unit's settings.</summary>
/// <param name="Id">The container ID.</param>
/// <param name="Name">The container name.</param>
/// <param name="AutoUpdateLabels">Its <c>io.containers.autoupdate.*</c> labels.</param>
public sealed record ManagedContainer(string Id, string Name, IReadOnlyDictionary<string, string> AutoUpdateLabels);
