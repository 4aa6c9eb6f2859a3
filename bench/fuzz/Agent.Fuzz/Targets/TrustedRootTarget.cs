using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>A sigstore <c>trusted_root.json</c>. Handled: <see cref="FormatException"/> (documented on Parse).</summary>
internal static class TrustedRootTarget
{
    public static FuzzTarget Target { get; } =
        FuzzTarget.Catching<FormatException>("trusted-root", input => TrustedRootFile.Parse(input));
}
