namespace UpdateAgent.Core.Ports;

/// <summary>
/// Decides whether a unit may move to a candidate digest, in Core's terms, so the engine can be
/// tested without a registry or keys. Production adapts the trust policy's verifier.
/// </summary>
public interface IImageVerifier
{
    /// <summary>
    /// Verifies <paramref name="candidateDigest"/> of <paramref name="image"/>'s repository against the
    /// policy, comparing with <paramref name="running"/> when given. Registry and signature problems
    /// are reasons of the verdict, not exceptions: a verdict is what the engine journals.
    /// </summary>
    Task<Verdict> VerifyAsync(ImageReference image, string candidateDigest, RunningImageFacts? running, CancellationToken cancellationToken);
}
