using UpdateAgent.Core.Ports;
using UpdateAgent.Trust.Verification;
using Trust = UpdateAgent.Trust;

namespace UpdateAgent.Adapters;

/// <summary>
/// The trust policy's verifier as the engine's <see cref="IImageVerifier"/>: Core's reference and
/// running facts become the verifier's, and its verdict becomes Core's.
/// </summary>
/// <param name="verifier">The verifier built from the trust policy.</param>
internal sealed class TrustImageVerifier(ITrustVerifier verifier) : IImageVerifier
{
    /// <inheritdoc />
    public async Task<Core.Ports.Verdict> VerifyAsync(ImageReference image, string candidateDigest, Core.Ports.RunningImageFacts? running,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var facts = running is null ? null : new Trust.Verification.RunningImageFacts(running.Digest, running.Created, running.Version, running.ReplacedDigests)
        {
            CreatedLabel = Trust.Registry.ImageConfigFacts.StatedTime(running.CreatedLabel),
            SignedVersion = running.SignedVersion,
        };
        Trust.Verification.Verdict verdict;
        try
        {
            verdict = await verifier.VerifyAsync(image, candidateDigest, facts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // A verifier that throws has decided nothing: this unit stays where it is, and the pass goes on to the others.
            var reason = Trust.Verification.VerdictReason.Unexpected(ex);
            return new Core.Ports.Verdict
            {
                Image = $"{image.Name}@{candidateDigest}",
                Outcome = Core.Ports.VerdictOutcome.Undecided,
                Reasons = [new Core.Ports.VerdictReason(reason.Code, reason.Message)],
            };
        }
        return new Core.Ports.Verdict
        {
            Image = verdict.Image,
            Outcome = verdict.Outcome switch
            {
                Trust.Verification.VerdictOutcome.Accepted => Core.Ports.VerdictOutcome.Accepted,
                Trust.Verification.VerdictOutcome.Refused => Core.Ports.VerdictOutcome.Refused,
                _ => Core.Ports.VerdictOutcome.Undecided,
            },
            Reasons = verdict.Reasons.Select(r => new Core.Ports.VerdictReason(r.Code, r.Message)).ToList(),
            Signers = verdict.Signers.Select(s => new Core.Ports.SignerInfo(s.Authority, s.Identity)).ToList(),
            Facts = verdict.Facts is { } f ? new Core.Ports.CandidateFacts(f.Digest, f.PlatformDigest) { SignedVersion = f.SignedVersion } : null,
        };
    }
}
