using System.Text;
using UpdateAgent.Trust.Bundles;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// A DSSE envelope (and the in-toto statement inside it). The input is the envelope alone; it is
/// set into a fixed v0.3 bundle so that every mutation lands in the envelope, and read as
/// <see cref="BundleTarget"/> reads bundles. Handled: nothing may escape.
/// </summary>
internal static class DsseTarget
{
    public static FuzzTarget Target { get; } = new("dsse", "none: unreadable envelopes come back as broken evidence", Run);

    private static readonly byte[] Head = Encoding.UTF8.GetBytes(
        """{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"k"}},"dsseEnvelope":""");

    private static readonly byte[] Tail = "}"u8.ToArray();

    private static readonly string ArtifactDigest = "sha256:" + new string('a', 64);

    private static void Run(byte[] input)
    {
        var bundle = new byte[Head.Length + input.Length + Tail.Length];
        Head.CopyTo(bundle, 0);
        input.CopyTo(bundle, Head.Length);
        Tail.CopyTo(bundle, Head.Length + input.Length);
        SigstoreBundle.ToEvidence(bundle, "fuzz");
        SigstoreBundle.ToArtifactEvidence(bundle, "fuzz", ArtifactDigest);
    }
}
