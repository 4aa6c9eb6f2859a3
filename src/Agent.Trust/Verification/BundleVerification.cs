using UpdateAgent.Trust.Bundles;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Verification;

/// <summary>
/// Verifies one Sigstore bundle over one artifact digest with one authority (a keyless identity
/// or a key) and a trust root, on the same path an image's signatures take
/// (<see cref="SigstoreBundle"/> → <see cref="SignatureEvidence"/> → <see cref="AuthorityVerifier"/>).
/// It serves callers that hold a bundle file rather than a registry, such as a conformance client.
/// </summary>
internal static class BundleVerification
{
    /// <summary>The name the authority carries in messages.</summary>
    public const string AuthorityName = "bundle";

    /// <summary>
    /// An authority that accepts certificates from <paramref name="root"/>'s CAs for exactly this
    /// identity and issuer, with an SCT from one of its CT logs (as every Sigstore client requires).
    /// </summary>
    public static TrustAuthority KeylessAuthority(string identity, string issuer, SigstoreTrustRoot root) =>
        new(AuthorityName, [], new KeylessIdentity { Subject = identity, Issuer = issuer }, root, requireTlog: true);

    /// <summary>An authority holding one key; like a keyless one, it requires an entry in one of <paramref name="root"/>'s logs.</summary>
    public static TrustAuthority KeyAuthority(VerificationKey key, SigstoreTrustRoot root) =>
        new(AuthorityName, [key], null, root, requireTlog: true);

    /// <summary>
    /// Whether <paramref name="bundleJson"/> is a signature by <paramref name="authority"/> over the
    /// artifact whose digest is <paramref name="artifactDigest"/> (<c>sha256:</c> and 64 hex digits).
    /// A bundle that cannot be read fails with a reason like any other; this never throws for bad input.
    /// </summary>
    public static AuthorityCheck Verify(byte[] bundleJson, string artifactDigest, TrustAuthority authority)
    {
        var evidence = SigstoreBundle.ToArtifactEvidence(bundleJson, "bundle", artifactDigest);
        return AuthorityVerifier.CheckArtifact(authority, evidence, artifactDigest);
    }
}
