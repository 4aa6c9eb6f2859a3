using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UpdateAgent.Trust.Bundles;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Verification;

/// <summary>
/// Verifies a candidate digest: deny lists, replaced digests, the image's config (source,
/// created, version), cosign <c>.sig</c> signatures and sigstore bundles against the required
/// authorities, the blessing, and anti-downgrade. Collects every reason instead of stopping
/// at the first, and never reports "accepted" when something could not be checked.
/// </summary>
public sealed partial class TrustVerifier : ITrustVerifier
{
    private const long MaxSignatureBlobBytes = 1024 * 1024;

    private readonly IRegistryClient _registry;
    private readonly TrustPolicy _policy;
    private readonly ILogger _logger;

    /// <summary>Creates a verifier over <paramref name="registry"/> with <paramref name="policy"/>.</summary>
    public TrustVerifier(IRegistryClient registry, TrustPolicy policy, ILogger<TrustVerifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(policy);
        _registry = registry;
        _policy = policy;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<Verdict> VerifyAsync(ImageReference image, string candidateDigest, RunningImageFacts? running, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        DigestValue.Require(candidateDigest);
        var requestsBefore = _registry.RequestCount;
        var pinned = image.WithDigest(candidateDigest);
        var reasons = new List<VerdictReason>();
        var imagePolicy = _policy.Match(image);
        if (imagePolicy is null)
        {
            reasons.Add(new VerdictReason(ReasonCodes.NoPolicy, $"no [[image]] policy covers {image.Name}"));
            return Finish(pinned, reasons, [], null, requestsBefore);
        }
        CheckDenyLists(imagePolicy, candidateDigest, running, reasons);

        var (resolved, config) = await ReadImageAsync(pinned, reasons, cancellationToken).ConfigureAwait(false);
        var (checks, complete) = await CheckSignaturesAsync(pinned, imagePolicy, resolved, reasons, cancellationToken).ConfigureAwait(false);
        var verified = checks.Where(c => c.Verified).ToList();
        if (complete || verified.Count > 0)
        {
            RequireAuthorities(imagePolicy, checks, complete, reasons);
            RequireBlessing(imagePolicy, checks, complete, reasons);
        }
        var annotations = SignedAnnotations(verified);
        var facts = Facts(candidateDigest, resolved, config, verified, annotations, imagePolicy);
        if (config is not null)
        {
            RequireSource(imagePolicy, config, verified, reasons);
        }
        if (resolved is not null && imagePolicy.AntiDowngrade && running is not null && running.Digest != candidateDigest)
        {
            CheckAge(facts, running, reasons);
        }
        var signers = verified.Select(c => c.Signer!).DistinctBy(s => (s.Authority, s.Origin)).ToList();
        return Finish(pinned, reasons, signers, facts, requestsBefore, annotations);
    }

    private void CheckDenyLists(ImagePolicy imagePolicy, string digest, RunningImageFacts? running, List<VerdictReason> reasons)
    {
        if (_policy.Revoked.Contains(digest) || imagePolicy.Revoked.Contains(digest))
        {
            reasons.Add(new VerdictReason(ReasonCodes.Revoked, $"{digest} is on the deny list"));
        }
        if (running is not null && running.ReplacedDigests.Contains(digest))
        {
            reasons.Add(new VerdictReason(ReasonCodes.ReplacedDigest, $"this unit already moved away from {digest}; it does not return to it on its own"));
        }
    }

    private async Task<(ResolvedImage?, ImageConfigFacts?)> ReadImageAsync(ImageReference pinned, List<VerdictReason> reasons, CancellationToken cancellationToken)
    {
        try
        {
            var resolved = await _registry.ResolveAsync(pinned, cancellationToken).ConfigureAwait(false);
            var config = await _registry.GetConfigAsync(pinned, resolved.Manifest, cancellationToken).ConfigureAwait(false);
            return (resolved, config);
        }
        catch (RegistryException ex)
        {
            reasons.Add(Reason(ex));
            return (null, null);
        }
    }

    private async Task<(List<AuthorityCheck> Checks, bool Complete)> CheckSignaturesAsync(
        ImageReference pinned, ImagePolicy imagePolicy, ResolvedImage? resolved, List<VerdictReason> reasons, CancellationToken cancellationToken)
    {
        var evidence = new List<(SignatureEvidence Evidence, string Digest)>();
        var complete = true;
        // Signatures on the index and, for a multi-platform image, on the manifest this host runs.
        var digests = new List<string> { pinned.Digest! };
        if (resolved is { IsIndex: true })
        {
            digests.Add(resolved.PlatformDigest);
        }
        foreach (var digest in digests)
        {
            foreach (var source in new Func<Task<List<SignatureEvidence>>>[]
            {
                () => LegacySignatureReader.ReadAsync(_registry, pinned, digest, MaxSignatureBlobBytes, cancellationToken),
                () => BundleSignatureReader.ReadAsync(_registry, pinned, digest, MaxSignatureBlobBytes, cancellationToken),
            })
            {
                try
                {
                    evidence.AddRange((await source().ConfigureAwait(false)).Select(e => (e, digest)));
                }
                catch (RegistryException ex)
                {
                    complete = false;
                    reasons.Add(Reason(ex));
                }
            }
        }
        var checks = new List<AuthorityCheck>();
        foreach (var name in imagePolicy.SignedBy.Append(imagePolicy.BlessedBy).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var authority = _policy.Authorities[name];
            checks.AddRange(evidence.Select(e => AuthorityVerifier.Check(authority, e.Evidence, pinned, e.Digest)));
        }
        LogSignatures(_logger, pinned.ToString(), evidence.Count, checks.Count(c => c.Verified));
        return (checks, complete);
    }

    private static void RequireAuthorities(ImagePolicy imagePolicy, List<AuthorityCheck> checks, bool complete, List<VerdictReason> reasons)
    {
        foreach (var name in imagePolicy.SignedBy)
        {
            var mine = checks.Where(c => c.Authority == name).ToList();
            if (mine.Any(c => c.Verified) || !complete)
            {
                // When a signature source could not be read, the missing one might be there:
                // "could not decide" is already recorded, so no refusal is claimed here.
                continue;
            }
            if (mine.Count == 0)
            {
                reasons.Add(new VerdictReason(ReasonCodes.Unsigned, $"no signature found; '{name}' must sign"));
                continue;
            }
            reasons.AddRange(mine.Select(c => c.Failure!));
        }
    }

    private static void RequireBlessing(ImagePolicy imagePolicy, List<AuthorityCheck> checks, bool complete, List<VerdictReason> reasons)
    {
        var verified = checks.Where(c => c.Verified).ToList();
        if (imagePolicy.BlessAnnotations.Count == 0)
        {
            return;
        }
        var gates = imagePolicy.BlessedBy is { } gate ? [gate] : imagePolicy.SignedBy;
        var candidates = verified.Where(c => gates.Contains(c.Signer!.Authority)).ToList();
        if (candidates.Any(c => imagePolicy.BlessAnnotations.All(a => c.Evidence.Annotations.GetValueOrDefault(a.Key) == a.Value)))
        {
            return;
        }
        if (!complete && candidates.Count == 0)
        {
            return;
        }
        var wanted = string.Join(", ", imagePolicy.BlessAnnotations.Select(a => $"{a.Key}={a.Value}"));
        var seen = candidates.Count == 0
            ? $"no valid signature by {string.Join(" or ", gates.Select(g => $"'{g}'"))}"
            : "signed annotations: " + string.Join("; ", candidates.Select(c => c.Evidence.Annotations.Count == 0 ? "(none)" : string.Join(", ", c.Evidence.Annotations.Select(a => $"{a.Key}={a.Value}"))).Distinct());
        reasons.Add(new VerdictReason(ReasonCodes.NotBlessed, $"requires {wanted}; {seen}"));
        if (candidates.Count == 0)
        {
            // Say why the gate's signatures did not count (another key, altered payload, other digest).
            reasons.AddRange(checks.Where(c => !c.Verified && gates.Contains(c.Authority)).Select(c => c.Failure!));
        }
    }

    private static void RequireSource(ImagePolicy imagePolicy, ImageConfigFacts config, List<AuthorityCheck> verified, List<VerdictReason> reasons)
    {
        if (imagePolicy.Source is not { } required)
        {
            return;
        }
        var label = config.Source;
        var certificateSources = verified.Select(c => c.Certificate).OfType<Keyless.FulcioCertificate>()
            .SelectMany(f => new[] { f.SourceRepositoryUri, f.WorkflowRepository is null ? null : "https://github.com/" + f.WorkflowRepository })
            .OfType<string>().ToList();
        var ok = imagePolicy.SourceFrom switch
        {
            SourceOrigin.Label => SourceMatch.Same(label, required),
            SourceOrigin.Certificate => certificateSources.Any(s => SourceMatch.Same(s, required)),
            _ => SourceMatch.Same(label, required) || certificateSources.Any(s => SourceMatch.Same(s, required)),
        };
        if (!ok)
        {
            var seen = imagePolicy.SourceFrom == SourceOrigin.Certificate
                ? (certificateSources.Count == 0 ? "no signing certificate names a repository" : "certificates name " + string.Join(", ", certificateSources))
                : (label is null ? $"the image has no {ImageConfigFacts.SourceLabel} label" : $"the image says it comes from {label}");
            reasons.Add(new VerdictReason(ReasonCodes.WrongSource, $"requires source {required}; {seen}"));
        }
    }

    private static void CheckAge(CandidateFacts facts, RunningImageFacts running, List<VerdictReason> reasons)
    {
        if (running.Created is { } runningCreated)
        {
            if (facts.Created is not { } created)
            {
                reasons.Add(new VerdictReason(ReasonCodes.UnknownAge, $"the candidate states no creation time; the running image was created {runningCreated:u}"));
            }
            else if (created < runningCreated)
            {
                reasons.Add(new VerdictReason(ReasonCodes.Downgrade, $"the candidate was created {created:u}, before the running image ({runningCreated:u})"));
            }
        }
        if (VersionOrder.Compare(facts.Version, running.Version) < 0)
        {
            reasons.Add(new VerdictReason(ReasonCodes.Downgrade, $"the candidate's version {facts.Version} is older than the running {running.Version}"));
        }
    }

    private static Dictionary<string, string> SignedAnnotations(List<AuthorityCheck> verified)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var check in verified)
        {
            foreach (var (key, value) in check.Evidence.Annotations)
            {
                annotations.TryAdd(key, value);
            }
        }
        return annotations;
    }

    private static CandidateFacts Facts(string digest, ResolvedImage? resolved, ImageConfigFacts? config, List<AuthorityCheck> verified,
        Dictionary<string, string> annotations, ImagePolicy imagePolicy)
    {
        var certificateSource = verified.Select(c => c.Certificate?.SourceRepositoryUri).OfType<string>().FirstOrDefault();
        var source = imagePolicy.SourceFrom == SourceOrigin.Certificate ? certificateSource : config?.Source ?? certificateSource;
        var version = annotations.GetValueOrDefault("version") ?? annotations.GetValueOrDefault(ImageConfigFacts.VersionLabel) ?? config?.Version;
        return new CandidateFacts(digest, resolved?.PlatformDigest, source, config?.Created, version, config?.Revision);
    }

    private Verdict Finish(ImageReference pinned, List<VerdictReason> reasons, List<SignerInfo> signers, CandidateFacts? facts, long requestsBefore,
        Dictionary<string, string>? annotations = null)
    {
        var distinct = reasons.DistinctBy(r => (r.Code, r.Message)).ToList();
        var verdict = new Verdict
        {
            Image = pinned.ToString(),
            Outcome = Verdict.OutcomeOf(distinct),
            Reasons = distinct,
            Signers = signers,
            SignedAnnotations = annotations ?? new Dictionary<string, string>(),
            Facts = facts,
            RegistryRequests = _registry.RequestCount - requestsBefore,
        };
        LogVerdict(_logger, verdict.Image, verdict.Outcome, string.Join(", ", distinct.Select(r => r.Code)));
        return verdict;
    }

    private static VerdictReason Reason(RegistryException ex) => new(ex.Failure switch
    {
        RegistryFailure.Timeout => ReasonCodes.Timeout,
        RegistryFailure.ServerError or RegistryFailure.Unreachable or RegistryFailure.Unauthorized => ReasonCodes.RegistryError,
        RegistryFailure.DigestMismatch => ReasonCodes.ManifestDigestMismatch,
        RegistryFailure.TooLarge => ReasonCodes.OversizedResponse,
        RegistryFailure.Truncated => ReasonCodes.TruncatedResponse,
        RegistryFailure.NotFound => ReasonCodes.ManifestUnknown,
        _ => ReasonCodes.MalformedResponse,
    }, ex.Message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Image}: {Found} signatures found, {Verified} authority checks passed")]
    private static partial void LogSignatures(ILogger logger, string image, int found, int verified);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Image}: {Outcome} ({Reasons})")]
    private static partial void LogVerdict(ILogger logger, string image, VerdictOutcome outcome, string reasons);
}
