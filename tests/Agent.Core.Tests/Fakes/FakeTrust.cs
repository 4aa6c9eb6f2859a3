using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Core.Tests.Fakes;

/// <summary>A verifier with a verdict per digest (default: refused as unsigned).</summary>
internal sealed class FakeVerifier : ITrustVerifier
{
    public Dictionary<string, VerdictOutcome> Outcomes { get; } = new(StringComparer.Ordinal);
    /// <summary>Index digest → the platform manifest the verdict judged for this host.</summary>
    public Dictionary<string, string> Platforms { get; } = new(StringComparer.Ordinal);
    public List<string> Verified { get; } = [];
    public RunningImageFacts? LastRunning { get; private set; }
    /// <summary>Refuse a digest the unit moved away from, as the real verifier's replaced-digest check does.</summary>
    public bool ReplacedAreRefused { get; set; }
    /// <summary>Called with each digest as it is verified (to change the world mid-pass).</summary>
    public Action<string>? OnVerify { get; set; }

    public Task<Verdict> VerifyAsync(ImageReference image, string candidateDigest, RunningImageFacts? running, CancellationToken cancellationToken)
    {
        Verified.Add(candidateDigest);
        OnVerify?.Invoke(candidateDigest);
        LastRunning = running;
        var outcome = Outcomes.TryGetValue(candidateDigest, out var o) ? o : VerdictOutcome.Refused;
        if (ReplacedAreRefused && running is not null && running.ReplacedDigests.Contains(candidateDigest))
        {
            outcome = VerdictOutcome.Refused;
        }
        IReadOnlyList<VerdictReason> reasons = outcome switch
        {
            VerdictOutcome.Refused => [new VerdictReason(ReasonCodes.WrongSource, "source label is github.com/acme/old-sibling, policy wants github.com/acme/app")],
            VerdictOutcome.Undecided => [new VerdictReason(ReasonCodes.RegistryError, "registry answered 500")],
            _ => [],
        };
        return Task.FromResult(new Verdict
        {
            Image = image.ToString(),
            Outcome = outcome,
            Reasons = reasons,
            Signers = outcome == VerdictOutcome.Accepted ? [new SignerInfo("release-gate", "key", null, "sig-tag", null)] : [],
            Facts = new CandidateFacts(candidateDigest, Platforms.GetValueOrDefault(candidateDigest) ?? candidateDigest, null, null, null, null),
        });
    }
}

/// <summary>A registry that answers tag → digest from a dictionary and counts requests.</summary>
internal sealed class FakeRegistry : IRegistryClient
{
    public Dictionary<string, string> TagDigests { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Unreachable { get; } = new(StringComparer.Ordinal);
    private long _requests;

    public long RequestCount => Interlocked.Read(ref _requests);

    public Task<string> ResolveDigestAsync(ImageReference image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var key = image.ToString();
        if (Unreachable.Contains(key))
        {
            throw new HttpRequestException($"connection refused: {image.Registry}");
        }
        return Task.FromResult(TagDigests[key]);
    }

    public Task<ResolvedImage> ResolveAsync(ImageReference image, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<ManifestContent?> TryGetManifestAsync(ImageReference repository, string reference, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<byte[]?> TryGetBlobAsync(ImageReference repository, string digest, long? expectedSize, long maxBytes, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<ImageConfigFacts> GetConfigAsync(ImageReference repository, ManifestContent imageManifest, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<ReferrerDescriptor>> GetReferrersAsync(ImageReference repository, string subjectDigest, string? artifactType, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<string> PushBlobAsync(ImageReference repository, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<string> PushManifestAsync(ImageReference repository, string reference, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken) => throw new NotSupportedException();
}
