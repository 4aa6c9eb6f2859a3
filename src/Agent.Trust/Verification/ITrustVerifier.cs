using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Verification;

/// <summary>Decides whether a unit may move to a candidate digest. The update engine fakes this in its tests.</summary>
public interface ITrustVerifier
{
    /// <summary>
    /// Verifies <paramref name="candidateDigest"/> of <paramref name="image"/>'s repository against the
    /// policy, comparing with <paramref name="running"/> when given. Never throws for registry or
    /// signature problems: they become reasons of the verdict.
    /// </summary>
    Task<Verdict> VerifyAsync(ImageReference image, string candidateDigest, RunningImageFacts? running, CancellationToken cancellationToken);
}
