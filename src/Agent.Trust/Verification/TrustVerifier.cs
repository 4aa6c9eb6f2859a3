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
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier over <paramref name="registry"/> with <paramref name="policy"/>; <paramref name="time"/> runs each verification's wall-time budget.</summary>
    public TrustVerifier(IRegistryClient registry, TrustPolicy policy, ILogger<TrustVerifier>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(policy);
        _registry = registry;
        _policy = policy;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One call has one <see cref="RegistryBudget"/> (<see cref="TrustPolicy.Limits"/>): running out is
    /// "could not decide". Any exception but the caller's own cancellation becomes "could not decide"
    /// too, naming the exception, so one hostile or broken image cannot stop the checks of others.
    /// </remarks>
    public async Task<Verdict> VerifyAsync(ImageReference image, string candidateDigest, RunningImageFacts? running, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        DigestValue.Require(candidateDigest);
        var pinned = image.WithDigest(candidateDigest);
        using var budget = new RegistryBudget(_policy.Limits, _time);
        try
        {
            return await VerifyWithinAsync(_registry.WithBudget(budget), budget, image, pinned, candidateDigest, running, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var reason = budget.Exhausted is { } why && ex is OperationCanceledException or RegistryException
                ? new VerdictReason(ReasonCodes.BudgetExceeded, why)
                : VerdictReason.Unexpected(ex);
            return Finish(pinned, [reason], [], null, budget);
        }
    }

    private async Task<Verdict> VerifyWithinAsync(IRegistryClient registry, RegistryBudget budget, ImageReference image, ImageReference pinned,
        string candidateDigest, RunningImageFacts? running, CancellationToken cancellationToken)
    {
        var reasons = new List<VerdictReason>();
        var imagePolicy = _policy.Match(image);
        if (imagePolicy is null)
        {
            reasons.Add(new VerdictReason(ReasonCodes.NoPolicy, $"no [[image]] policy covers {image.Name}"));
            return Finish(pinned, reasons, [], null, budget);
        }
        CheckDenyLists(imagePolicy, candidateDigest, running, reasons);

        // The image's own facts and its .sig signatures are independent reads: fetch them concurrently.
        var imageTask = ReadImageAsync(registry, pinned, cancellationToken);
        var legacyTask = ReadSignaturesAsync(registry, SignatureStore.Legacy, pinned, [candidateDigest], cancellationToken);
        var (resolved, config, imageReason) = await imageTask.ConfigureAwait(false);
        var evidence = await legacyTask.ConfigureAwait(false);
        if (imageReason is not null)
        {
            reasons.Add(imageReason);
        }
        if (resolved is { IsIndex: true })
        {
            // The manifest this host would run is judged too: a revoked or replaced image re-wrapped in a fresh index is the same image.
            CheckDenyLists(imagePolicy, resolved.PlatformDigest, running, reasons);
        }
        // A signature on the manifest this host runs counts as well as one on the index.
        List<string> digests = resolved is { IsIndex: true } ? [candidateDigest, resolved.PlatformDigest] : [candidateDigest];
        if (digests.Count > 1)
        {
            evidence = Merge(evidence, await ReadSignaturesAsync(registry, SignatureStore.Legacy, pinned, digests.Skip(1), cancellationToken).ConfigureAwait(false));
        }
        var checks = CheckSignatures(pinned, imagePolicy, evidence.Found);
        if (!Satisfied(imagePolicy, checks))
        {
            // Referrers (bundles, OCI 1.1 signatures) cost two more requests on registries without the API: read them only when .sig is not enough.
            evidence = Merge(evidence, await ReadSignaturesAsync(registry, SignatureStore.Referrers, pinned, digests, cancellationToken).ConfigureAwait(false));
            checks = CheckSignatures(pinned, imagePolicy, evidence.Found);
        }
        reasons.AddRange(evidence.Failures);
        var complete = evidence.Failures.Count == 0;
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
            AgeComparison.Check(facts, running, reasons);
        }
        var signers = verified.Select(c => c.Signer!).DistinctBy(s => (s.Authority, s.Origin)).ToList();
        return Finish(pinned, reasons, signers, facts, budget, annotations);
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

    private static async Task<(ResolvedImage?, ImageConfigFacts?, VerdictReason?)> ReadImageAsync(IRegistryClient registry, ImageReference pinned, CancellationToken cancellationToken)
    {
        try
        {
            var resolved = await registry.ResolveAsync(pinned, cancellationToken).ConfigureAwait(false);
            var config = await registry.GetConfigAsync(pinned, resolved.Manifest, cancellationToken).ConfigureAwait(false);
            return (resolved, config, null);
        }
        catch (RegistryException ex)
        {
            return (null, null, Reason(ex));
        }
    }

    private enum SignatureStore { Legacy, Referrers }

    /// <summary>One signature store for some digests, read concurrently; a store that fails is a reason, not an absence.</summary>
    private static async Task<(List<(SignatureEvidence Evidence, string Digest)> Found, List<VerdictReason> Failures)> ReadSignaturesAsync(
        IRegistryClient registry, SignatureStore store, ImageReference pinned, IEnumerable<string> digests, CancellationToken cancellationToken)
    {
        var reads = digests.Select(digest => (digest, read: store == SignatureStore.Legacy
            ? LegacySignatureReader.ReadAsync(registry, pinned, digest, MaxSignatureBlobBytes, cancellationToken)
            : ReferrerSignatureReader.ReadAsync(registry, pinned, digest, MaxSignatureBlobBytes, cancellationToken))).ToList();
        var found = new List<(SignatureEvidence, string)>();
        var failures = new List<VerdictReason>();
        foreach (var (digest, read) in reads)
        {
            try
            {
                found.AddRange((await read.ConfigureAwait(false)).Select(e => (e, digest)));
            }
            catch (RegistryException ex)
            {
                failures.Add(Reason(ex));
            }
        }
        return (found, failures);
    }

    private static (List<(SignatureEvidence Evidence, string Digest)> Found, List<VerdictReason> Failures) Merge(
        (List<(SignatureEvidence Evidence, string Digest)> Found, List<VerdictReason> Failures) first,
        (List<(SignatureEvidence Evidence, string Digest)> Found, List<VerdictReason> Failures) second) =>
        ([.. first.Found, .. second.Found], [.. first.Failures, .. second.Failures]);

    /// <summary>Whether every required authority and the blessing are already met.</summary>
    private static bool Satisfied(ImagePolicy imagePolicy, List<AuthorityCheck> checks)
    {
        var verified = checks.Where(c => c.Verified).ToList();
        return imagePolicy.SignedBy.All(name => verified.Any(c => c.Authority == name)) && Blessed(imagePolicy, verified);
    }

    private static bool Blessed(ImagePolicy imagePolicy, List<AuthorityCheck> verified)
    {
        if (imagePolicy.BlessAnnotations.Count == 0)
        {
            return true;
        }
        IReadOnlyList<string> gates = imagePolicy.BlessedBy is { } gate ? [gate] : imagePolicy.SignedBy;
        return verified.Any(c => gates.Contains(c.Authority)
            && imagePolicy.BlessAnnotations.All(a => c.Evidence.Annotations.GetValueOrDefault(a.Key) == a.Value));
    }

    private List<AuthorityCheck> CheckSignatures(ImageReference pinned, ImagePolicy imagePolicy, List<(SignatureEvidence Evidence, string Digest)> evidence)
    {
        var checks = new List<AuthorityCheck>();
        foreach (var name in imagePolicy.SignedBy.Append(imagePolicy.BlessedBy).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var authority = _policy.Authorities[name];
            checks.AddRange(evidence.Select(e => AuthorityVerifier.Check(authority, e.Evidence, pinned, e.Digest)));
        }
        LogSignatures(_logger, pinned.ToString(), evidence.Count, checks.Count(c => c.Verified));
        return checks;
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
        if (Blessed(imagePolicy, verified))
        {
            return;
        }
        IReadOnlyList<string> gates = imagePolicy.BlessedBy is { } gate ? [gate] : imagePolicy.SignedBy;
        var candidates = verified.Where(c => gates.Contains(c.Signer!.Authority)).ToList();
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
        var signedVersion = annotations.GetValueOrDefault("version") ?? annotations.GetValueOrDefault(ImageConfigFacts.VersionLabel);
        return new CandidateFacts(digest, resolved?.PlatformDigest, source, config?.Created, signedVersion ?? config?.Version, config?.Revision)
        {
            LabelCreated = config?.LabelCreated,
            ConfigCreated = config?.ConfigCreated,
            SignedVersion = signedVersion,
            LabelVersion = config?.Version,
        };
    }

    private Verdict Finish(ImageReference pinned, List<VerdictReason> reasons, List<SignerInfo> signers, CandidateFacts? facts, RegistryBudget budget,
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
            RegistryRequests = budget.Requests,
        };
        LogVerdict(_logger, verdict.Image, verdict.Outcome, string.Join(", ", distinct.Select(r => r.Code)));
        return verdict;
    }

    private static VerdictReason Reason(RegistryException ex) => VerdictReason.From(ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Image}: {Found} signatures found, {Verified} authority checks passed")]
    private static partial void LogSignatures(ILogger logger, string image, int found, int verified);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Image}: {Outcome} ({Reasons})")]
    private static partial void LogVerdict(ILogger logger, string image, VerdictOutcome outcome, string reasons);
}
