using System.Net;
using System.Text;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Verification;

public sealed class TrustVerifierTests : IDisposable
{
    private readonly TrustHarness _h = new();

    [Fact]
    public async Task Signed_blessed_image_from_the_right_source_is_accepted_with_signers_and_annotations()
    {
        var digest = await _h.SignedAndBlessedAsync();

        var verdict = await _h.VerifyAsync(digest);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
        Assert.Equal(["ci", "gate"], verdict.Signers.Select(s => s.Authority).Order());
        Assert.Equal("prod", verdict.SignedAnnotations["stage"]);
        Assert.Equal(TrustHarness.Source, verdict.Facts!.Source);
        Assert.True(verdict.RegistryRequests > 0);
    }

    [Fact]
    public async Task Unsigned_image_is_refused_with_every_reason()
    {
        var digest = _h.PushImage(source: "https://example.test/zombie");

        var verdict = await _h.VerifyAsync(digest);

        Assert.Equal(VerdictOutcome.Refused, verdict.Outcome);
        Assert.Equal([ReasonCodes.NotBlessed, ReasonCodes.Unsigned, ReasonCodes.WrongSource], verdict.Reasons.Select(r => r.Code).Order());
    }

    [Fact]
    public async Task A_stranger_key_is_an_untrusted_signer()
    {
        var digest = _h.PushImage();
        await _h.SignAsync("stranger", digest, "stage=prod");

        var verdict = await _h.VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.UntrustedSigner));
        Assert.True(verdict.Has(ReasonCodes.NotBlessed));
        Assert.Empty(verdict.Signers);
    }

    [Fact]
    public async Task A_payload_blob_that_no_longer_matches_its_layer_is_tampered()
    {
        var digest = await _h.SignedAndBlessedAsync();
        var sig = Encoding.UTF8.GetString(_h.Registry.ManifestBytes(TrustHarness.Repository, DigestValue.SignatureTag(digest)));
        var payloadDigest = System.Text.Json.Nodes.JsonNode.Parse(sig)!["layers"]![0]!["digest"]!.GetValue<string>();
        _h.Registry.Intercept = r => r.RequestUri!.AbsolutePath.EndsWith(payloadDigest, StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(new string('x', 200)) }
            : null;

        var verdict = await _h.VerifyAsync(digest);

        Assert.Equal(VerdictOutcome.Refused, verdict.Outcome);
        Assert.True(verdict.Has(ReasonCodes.TamperedPayload), string.Join("\n", verdict.Reasons));
    }

    [Fact]
    public async Task Anti_downgrade_refuses_older_created_time_and_older_signed_version()
    {
        var digest = await _h.SignedAndBlessedAsync(created: "2026-10-01T00:00:00Z");
        var running = new RunningImageFacts("sha256:" + new string('0', 64), DateTimeOffset.Parse("2026-10-20T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), null, []);

        var verdict = await _h.VerifyAsync(digest, running: running);
        Assert.Equal(ReasonCodes.Downgrade, Assert.Single(verdict.Reasons).Code);

        var versioned = _h.PushImage(created: "2026-11-20T00:00:00Z");
        await _h.SignAsync("ci", versioned, "version=1.4.0");
        await _h.SignAsync("gate", versioned, "stage=prod");
        var older = await _h.VerifyAsync(versioned, running: running with { SignedVersion = "1.10.0" });
        Assert.Equal(ReasonCodes.Downgrade, Assert.Single(older.Reasons).Code);
        Assert.Contains("by the signed version, the candidate's 1.4.0 is older than the running 1.10.0", older.Reasons[0].Message, StringComparison.Ordinal);
        // A signed version is not compared with a label someone's build script wrote.
        Assert.Equal(VerdictOutcome.Accepted, (await _h.VerifyAsync(versioned, running: running with { Version = "1.10.0" })).Outcome);

        var noRule = await _h.VerifyAsync(digest, _h.Policy(extraImage: "anti_downgrade = false"), running);
        Assert.Equal(VerdictOutcome.Accepted, noRule.Outcome);
    }

    [Fact]
    public async Task Anti_downgrade_compares_label_with_label_and_config_time_with_config_time()
    {
        var stamp = (string t) => DateTimeOffset.Parse(t, System.Globalization.CultureInfo.InvariantCulture);
        // A reproducible build: config time at the epoch, the build time only in the label.
        var labelled = _h.PushImage(created: "1970-01-01T00:00:00Z", createdLabel: "2026-10-01T00:00:00Z");
        await _h.SignAsync("ci", labelled);
        await _h.SignAsync("gate", labelled, "stage=prod");
        var runningNewer = new RunningImageFacts("sha256:" + new string('0', 64), stamp("1970-01-01T00:00:00Z"), null, []) { CreatedLabel = stamp("2026-11-01T00:00:00Z") };

        var byLabel = await _h.VerifyAsync(labelled, running: runningNewer);
        Assert.Equal(ReasonCodes.Downgrade, Assert.Single(byLabel.Reasons).Code);
        Assert.Contains("by the org.opencontainers.image.created label", byLabel.Reasons[0].Message, StringComparison.Ordinal);

        // The running image states its time only in its config: the candidate's label is not compared with it.
        var runningConfigOnly = new RunningImageFacts("sha256:" + new string('0', 64), stamp("2026-11-01T00:00:00Z"), null, []);
        var noBasis = await _h.VerifyAsync(labelled, running: runningConfigOnly);
        Assert.Equal(ReasonCodes.UnknownAge, Assert.Single(noBasis.Reasons).Code);

        // Config time with config time, when neither has the label.
        var plain = await _h.SignedAndBlessedAsync(created: "2026-10-01T00:00:00Z");
        var byConfig = await _h.VerifyAsync(plain, running: runningConfigOnly);
        Assert.Contains("by the image config's creation time", Assert.Single(byConfig.Reasons).Message, StringComparison.Ordinal);

        // Both reproducible with no label: nothing states an age, nothing is judged.
        var epoch = await _h.SignedAndBlessedAsync(created: "1970-01-01T00:00:00Z");
        var runningEpoch = new RunningImageFacts("sha256:" + new string('0', 64), stamp("1970-01-01T00:00:00Z"), null, []);
        Assert.Equal(VerdictOutcome.Accepted, (await _h.VerifyAsync(epoch, running: runningEpoch)).Outcome);
    }

    [Fact]
    public async Task Revoked_and_replaced_digests_are_refused()
    {
        var digest = await _h.SignedAndBlessedAsync();

        var revoked = await _h.VerifyAsync(digest, _h.Policy(extraTop: $"revoked = [\"{digest}\"]"));
        var replaced = await _h.VerifyAsync(digest, running: new RunningImageFacts("sha256:" + new string('0', 64), null, null, [digest]));

        Assert.Equal(ReasonCodes.Revoked, Assert.Single(revoked.Reasons).Code);
        Assert.Equal(ReasonCodes.ReplacedDigest, Assert.Single(replaced.Reasons).Code);
    }

    [Fact]
    public async Task Registry_outage_is_undecided_never_accepted_and_refusals_still_win()
    {
        var digest = await _h.SignedAndBlessedAsync();
        _h.Registry.Intercept = _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        var outage = await _h.VerifyAsync(digest);
        var revokedDuringOutage = await _h.VerifyAsync(digest, _h.Policy(extraTop: $"revoked = [\"{digest}\"]"));

        Assert.Equal(VerdictOutcome.Undecided, outage.Outcome);
        Assert.All(outage.Reasons, r => Assert.Equal(ReasonCodes.RegistryError, r.Code));
        Assert.Equal(VerdictOutcome.Refused, revokedDuringOutage.Outcome);
    }

    [Fact]
    public async Task A_failing_signature_source_does_not_turn_into_unsigned()
    {
        var digest = _h.PushImage();
        _h.Registry.Intercept = r => r.RequestUri!.AbsolutePath.EndsWith(".sig", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.InternalServerError) : null;

        var verdict = await _h.VerifyAsync(digest);

        Assert.Equal(VerdictOutcome.Undecided, verdict.Outcome);
        Assert.False(verdict.Has(ReasonCodes.Unsigned));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Multi_platform_image_signed_on_the_index_or_on_the_host_platform_is_accepted(bool signIndex)
    {
        var labels = new Dictionary<string, string> { ["org.opencontainers.image.source"] = TrustHarness.Source };
        var host = UpdateAgent.Trust.Registry.ImagePlatform.Host.Architecture;
        var (index, children) = TestImages.PushIndex(_h.Registry, TrustHarness.Repository, labels, host, host == "s390x" ? "ppc64le" : "s390x");
        var signed = signIndex ? index : children[host];
        await _h.SignAsync("ci", signed);
        await _h.SignAsync("gate", signed, "stage=prod");

        var verdict = await _h.VerifyAsync(index);

        Assert.True(verdict.Outcome == VerdictOutcome.Accepted, string.Join("\n", verdict.Reasons));
        Assert.Equal(index, verdict.Facts!.Digest);
        Assert.Equal(children[host], verdict.Facts.PlatformDigest);
    }

    [Fact]
    public async Task Image_without_a_policy_is_refused()
    {
        var digest = await _h.SignedAndBlessedAsync();
        var verdict = await new TrustVerifier(_h.Registry.Client(), _h.Policy())
            .VerifyAsync(ImageReference.Parse($"{InMemoryRegistry.Host}/elsewhere/app"), digest, null, CancellationToken.None);
        Assert.Equal(ReasonCodes.NoPolicy, Assert.Single(verdict.Reasons).Code);
    }

    [Fact]
    public async Task Verdict_json_has_stable_member_names()
    {
        var digest = await _h.SignedAndBlessedAsync();
        var json = VerdictJson.Serialize(await _h.VerifyAsync(digest));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("accepted", document.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("prod", document.RootElement.GetProperty("signedAnnotations").GetProperty("stage").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("signers").GetArrayLength());
    }

    public void Dispose() => _h.Dispose();
}
