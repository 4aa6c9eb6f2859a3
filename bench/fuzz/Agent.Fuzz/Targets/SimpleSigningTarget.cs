using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>A cosign simple-signing payload. Handled: <see cref="FormatException"/> (documented on Parse).</summary>
internal static class SimpleSigningTarget
{
    public static FuzzTarget Target { get; } =
        FuzzTarget.Catching<FormatException>("simple-signing", input => SimpleSigningPayload.Parse(input));
}
