namespace UpdateAgent.Podman.Discovery;

/// <summary>A unit's containers cannot be updated as one; discovery reports it as that unit's problem.</summary>
internal sealed class UnitMismatchException(string message) : Exception(message);
