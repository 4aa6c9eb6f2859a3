using UpdateAgent.Podman;
using UpdateAgent.Systemd;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// The failures of the host's parts (podman, systemd, the network, a deadline) that end one unit's
/// work as that unit's failure, while the pass goes on with the others.
/// </summary>
internal static class UnitFailure
{
    /// <summary>Whether <paramref name="e"/> is such a failure.</summary>
    public static bool Is(Exception e) => e is PodmanException or SystemdException or HttpRequestException or IOException or TimeoutException;
}
