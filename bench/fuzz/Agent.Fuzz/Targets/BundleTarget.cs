using UpdateAgent.Trust.Bundles;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A sigstore bundle, read both as an image's signature and as an artifact's. Handled: nothing
/// may escape; an unreadable bundle is returned as broken evidence.
/// </summary>
internal static class BundleTarget
{
    public static FuzzTarget Target { get; } = new("bundle", "none: unreadable bundles come back as broken evidence", Run);

    private static readonly string ArtifactDigest = "sha256:" + new string('a', 64);

    private static void Run(byte[] input)
    {
        SigstoreBundle.ToEvidence(input, "fuzz");
        SigstoreBundle.ToArtifactEvidence(input, "fuzz", ArtifactDigest);
    }
}
