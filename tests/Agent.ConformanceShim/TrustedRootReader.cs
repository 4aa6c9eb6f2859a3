using UpdateAgent.Trust.Policy;

namespace UpdateAgent.ConformanceShim;

/// <summary>Reads a <c>trusted_root.json</c> the way the agent's policy loader does.</summary>
internal static class TrustedRootReader
{
    public static SigstoreTrustRoot Read(string path) =>
        throw new IOException($"{path}: reading trusted_root.json is not available in this build");
}
