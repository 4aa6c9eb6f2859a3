using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Verification;

/// <summary>
/// One verification has one budget (bytes, requests, wall time); running out is "could not decide"
/// and stops the fetching. Whatever else escapes a verification is "could not decide" for that image only.
/// </summary>
public sealed class VerificationBudgetTests : IDisposable
{
    private const int BlobBytes = 64 * 1024;
    private readonly TrustHarness _h = new();

    [Fact]
    public async Task A_candidate_multiplying_layers_by_referrers_is_undecided_within_the_budget()
    {
        // 64 .sig layers plus 32 referrers of 64 layers each: 2,112 payload blobs of 64 KiB if nothing stopped the reads.
        var digest = _h.PushImage();
        var blobs = Enumerable.Range(0, 64).Select(i => _h.Registry.PutBlob(Blob(i))).ToList();
        PutManifest(DigestValue.SignatureTag(digest), SignatureManifest(blobs, subject: null, i: 0));
        var referrers = new JsonArray();
        for (var i = 1; i <= 32; i++)
        {
            var bytes = SignatureManifest(blobs, digest, i);
            referrers.Add(new JsonObject
            {
                ["mediaType"] = MediaTypes.OciManifest,
                ["digest"] = PutManifest("referrer-" + i, bytes),
                ["size"] = bytes.Length,
                ["artifactType"] = MediaTypes.CosignSignatureArtifact,
            });
        }
        PutManifest(DigestValue.ReferrersTag(digest), Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = referrers,
        }.ToJsonString()), MediaTypes.OciIndex);
        var limits = VerificationLimits.Default;
        var wire = new CountingHandler(_h.Registry);
        var client = new RegistryClient(new HttpClient(wire), Insecure());

        var verdict = await new TrustVerifier(client, _h.Policy()).VerifyAsync(TrustHarness.Image, digest, null, CancellationToken.None);

        Assert.Equal(VerdictOutcome.Undecided, verdict.Outcome);
        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.BudgetExceeded);
        Assert.DoesNotContain(verdict.Reasons, r => r.Code == ReasonCodes.Unsigned);
        Assert.InRange(wire.Requests, 1, limits.MaxRequests);
        Assert.InRange(verdict.RegistryRequests, 1, limits.MaxRequests);
        Assert.InRange(wire.BytesRead, 1, limits.MaxBytes);
        var blobReads = _h.Registry.Log.Count(l => l.Contains("/blobs/", StringComparison.Ordinal));
        Assert.InRange(blobReads, 64, limits.MaxRequests); // the .sig layers were read, the multiplication was not
    }

    [Fact]
    public async Task Policy_limits_bound_the_requests_and_bytes()
    {
        var digest = _h.PushImage();
        var blobs = Enumerable.Range(0, 64).Select(i => _h.Registry.PutBlob(Blob(i))).ToList();
        PutManifest(DigestValue.SignatureTag(digest), SignatureManifest(blobs, subject: null, i: 0));
        var wire = new CountingHandler(_h.Registry);
        var client = new RegistryClient(new HttpClient(wire), Insecure());
        var policy = _h.Policy(extraTop: "[registries]\nverify_max_bytes = 262144\nverify_max_requests = 1000\n");

        var verdict = await new TrustVerifier(client, policy).VerifyAsync(TrustHarness.Image, digest, null, CancellationToken.None);

        Assert.Equal(VerdictOutcome.Undecided, verdict.Outcome);
        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.BudgetExceeded && r.Message.Contains("262144 bytes", StringComparison.Ordinal));
        Assert.InRange(wire.BytesRead, 1, 262144);
    }

    [Fact]
    public async Task Running_out_of_wall_time_is_undecided_and_stops_the_fetching()
    {
        var digest = await _h.SignedAndBlessedAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var advancedAt = -1;
        _h.Registry.Intercept = request =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith(".sig", StringComparison.Ordinal) && advancedAt < 0)
            {
                advancedAt = _h.Registry.Log.Count;
                time.Advance(TimeSpan.FromSeconds(61)); // a registry that answers, slowly, until the minute is gone
            }
            return null;
        };
        var client = _h.Registry.Client(o => o.RequestTimeout = TimeSpan.FromHours(1), time);

        var verdict = await new TrustVerifier(client, _h.Policy(), time: time).VerifyAsync(TrustHarness.Image, digest, null, CancellationToken.None);

        Assert.Equal(VerdictOutcome.Undecided, verdict.Outcome);
        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.BudgetExceeded && r.Message.Contains("60 s", StringComparison.Ordinal));
        Assert.DoesNotContain(_h.Registry.Log.Skip(advancedAt), l => l.Contains("/blobs/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_registry_that_hangs_past_the_wall_time_is_undecided()
    {
        var digest = await _h.SignedAndBlessedAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var client = new RegistryClient(new HttpClient(new HangingHandler(time, TimeSpan.FromSeconds(61))), WithTimeout(Insecure(), TimeSpan.FromHours(1)), time);

        var verdict = await new TrustVerifier(client, _h.Policy(), time: time).VerifyAsync(TrustHarness.Image, digest, null, CancellationToken.None);

        Assert.Equal(VerdictOutcome.Undecided, verdict.Outcome);
        Assert.All(verdict.Reasons, r => Assert.Equal(ReasonCodes.BudgetExceeded, r.Code));
    }

    [Fact]
    public async Task An_unexpected_exception_is_undecided_for_that_image_only()
    {
        var broken = _h.PushImage();
        var good = await _h.SignedAndBlessedAsync();
        _h.Registry.Intercept = request => request.RequestUri!.AbsolutePath.Contains(DigestValue.Hex(broken), StringComparison.Ordinal)
            ? throw new InvalidOperationException("the fake registry broke")
            : null;
        var verifier = new TrustVerifier(_h.Registry.Client(), _h.Policy());

        var first = await verifier.VerifyAsync(TrustHarness.Image, broken, null, CancellationToken.None);
        var second = await verifier.VerifyAsync(TrustHarness.Image, good, null, CancellationToken.None);

        Assert.Equal(VerdictOutcome.Undecided, first.Outcome);
        var reason = Assert.Single(first.Reasons);
        Assert.Equal(ReasonCodes.VerifierError, reason.Code);
        Assert.Contains("System.InvalidOperationException: the fake registry broke", reason.Message, StringComparison.Ordinal);
        Assert.Equal(VerdictOutcome.Accepted, second.Outcome);
    }

    [Fact]
    public async Task The_callers_own_cancellation_still_cancels()
    {
        var digest = await _h.SignedAndBlessedAsync();
        using var stop = new CancellationTokenSource();
        _h.Registry.Intercept = _ => { stop.Cancel(); return null; };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new TrustVerifier(_h.Registry.Client(), _h.Policy()).VerifyAsync(TrustHarness.Image, digest, null, stop.Token));
    }

    public void Dispose() => _h.Dispose();

    private static byte[] Blob(int i)
    {
        var bytes = new byte[BlobBytes];
        bytes[0] = (byte)i;
        return bytes;
    }

    private byte[] SignatureManifest(List<string> blobs, string? subject, int i)
    {
        var config = _h.Registry.PutBlob(Encoding.UTF8.GetBytes("{}"));
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = MediaTypes.CosignSignatureArtifact,
            ["config"] = new JsonObject { ["mediaType"] = MediaTypes.OciEmpty, ["digest"] = config, ["size"] = 2 },
            ["layers"] = new JsonArray(blobs.Select(b => (JsonNode)new JsonObject
            {
                ["mediaType"] = MediaTypes.SimpleSigning,
                ["digest"] = b,
                ["size"] = BlobBytes,
                ["annotations"] = new JsonObject { ["dev.cosignproject.cosign/signature"] = Convert.ToBase64String([1, 2, 3, (byte)i]) },
            }).ToArray()),
        };
        if (subject is not null)
        {
            manifest["subject"] = new JsonObject { ["mediaType"] = MediaTypes.OciManifest, ["digest"] = subject, ["size"] = 1 };
        }
        return Encoding.UTF8.GetBytes(manifest.ToJsonString());
    }

    private string PutManifest(string reference, byte[] bytes, string mediaType = MediaTypes.OciManifest) =>
        _h.Registry.PutManifest(TrustHarness.Repository, reference, bytes, mediaType);

    private static RegistryClientOptions Insecure()
    {
        var options = new RegistryClientOptions();
        options.InsecureRegistries.Add(InMemoryRegistry.Host);
        return options;
    }

    private static RegistryClientOptions WithTimeout(RegistryClientOptions options, TimeSpan timeout)
    {
        options.RequestTimeout = timeout;
        return options;
    }

    /// <summary>Counts the requests that reach the registry and the body bytes the client actually reads.</summary>
    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private long _bytes;
        private int _requests;

        public long BytesRead => Interlocked.Read(ref _bytes);

        public int Requests => _requests;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Content is { } content)
            {
                var counted = new StreamContent(new CountingStream(await content.ReadAsStreamAsync(cancellationToken), n => Interlocked.Add(ref _bytes, n)));
                foreach (var header in content.Headers)
                {
                    counted.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                response.Content = counted;
            }
            return response;
        }
    }

    private sealed class CountingStream(Stream inner, Action<int> count) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count1)
        {
            var read = inner.Read(buffer, offset, count1);
            count(read);
            return read;
        }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            count(read);
            return read;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count1) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Never answers; moves the fake clock past the budget's minute so its timer fires.</summary>
    private sealed class HangingHandler(FakeTimeProvider time, TimeSpan advance) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            time.Advance(advance);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
