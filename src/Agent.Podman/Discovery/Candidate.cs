using UpdateAgent.Podman.Libpod;

namespace UpdateAgent.Podman.Discovery;

/// <summary>A running container that asks for updates, with the unit that runs it.</summary>
internal sealed record Candidate(LibpodContainer Listed, AutoUpdatePolicy Policy, string UnitName);
