using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Tests.Fakes;

/// <summary>A verifier with a verdict per digest (default: refused as unsigned).</summary>
internal sealed class FakeVerifier : IImageVerifier
{
    public Dictionary<string, VerdictOutcome> Outcomes { get; } = new(StringComparer.Ordinal);
    /// <summary>Index digest → the platform manifest the verdict judged for this host.</summary>
    public Dictionary<string, string> Platforms { get; } = new(StringComparer.Ordinal);
    public List<string> Verified { get; } = [];
    public RunningImageFacts? LastRunning { get; private set; }
    /// <summary>Refuse a digest the unit moved away from, as the real verifier's replaced-digest check does.</summary>
    public bool ReplacedAreRefused { get; set; }
    /// <summary>Digest → the version its (fake) signature states.</summary>
    public Dictionary<string, string> SignedVersions { get; } = new(StringComparer.Ordinal);
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
            VerdictOutcome.Refused => [new VerdictReason("wrong-source", "source label is github.com/acme/old-sibling, policy wants github.com/acme/app")],
            VerdictOutcome.Undecided => [new VerdictReason("registry-error", "registry answered 500")],
            _ => [],
        };
        return Task.FromResult(new Verdict
        {
            Image = image.ToString(),
            Outcome = outcome,
            Reasons = reasons,
            Signers = outcome == VerdictOutcome.Accepted ? [new SignerInfo("release-gate", "key")] : [],
            Facts = new CandidateFacts(candidateDigest, Platforms.GetValueOrDefault(candidateDigest) ?? candidateDigest)
            {
                SignedVersion = SignedVersions.GetValueOrDefault(candidateDigest),
            },
        });
    }
}

/// <summary>A registry that answers tag → digest from a dictionary and counts requests.</summary>
internal sealed class FakeRegistry : ITagResolver
{
    public Dictionary<string, string> TagDigests { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Unreachable { get; } = new(StringComparer.Ordinal);

    /// <summary>Images whose registry registries.conf blocks: the lookup can never succeed.</summary>
    public HashSet<string> Blocked { get; } = new(StringComparer.Ordinal);
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
        if (Blocked.Contains(key))
        {
            throw new RegistryLookupException($"{image.Name}: blocked in /etc/containers/registries.conf") { IsPermanent = true };
        }
        return Task.FromResult(TagDigests[key]);
    }
}
