using System.Net;
using System.Text;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Tests.Fakes;

namespace UpdateAgent.Trust.Tests.Registry;

/// <summary>
/// Registry data anyone can push — nulls inside arrays, negative sizes, wrong types, numbers out
/// of range — is refused as <c>malformed-response</c> naming what was wrong, never an exception
/// that escapes the verifier.
/// </summary>
public sealed class HostileResponseTests : IDisposable
{
    private readonly TrustHarness _h = new();

    [Fact]
    public async Task A_null_sig_layer_is_a_malformed_response()
    {
        var digest = _h.PushImage();
        PutJson(DigestValue.SignatureTag(digest), $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","layers":[null]}""");

        var verdict = await _h.VerifyAsync(digest);

        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.MalformedResponse && r.Message.Contains("layers[0] is null", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_null_referrer_is_a_malformed_response()
    {
        var digest = _h.PushImage();
        PutJson(DigestValue.ReferrersTag(digest), $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[null]}""", MediaTypes.OciIndex);

        var verdict = await _h.VerifyAsync(digest);

        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.MalformedResponse && r.Message.Contains("manifests[0] is null", StringComparison.Ordinal));
        Assert.Equal(UpdateAgent.Trust.Verification.VerdictOutcome.Refused, verdict.Outcome);
    }

    [Fact]
    public async Task A_null_page_of_the_referrers_api_is_a_malformed_response()
    {
        var digest = _h.PushImage();
        _h.Registry.Intercept = request => request.RequestUri!.AbsolutePath.Contains("/referrers/", StringComparison.Ordinal)
            ? Json($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{digest}}","size":2},null]}""")
            : null;

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _h.Registry.Client().GetReferrersAsync(TrustHarness.Image, digest, null, CancellationToken.None));

        Assert.Equal(RegistryFailure.Malformed, ex.Failure);
        Assert.Contains("manifests[1] is null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_index_entry_is_a_malformed_response()
    {
        TestImages.PushIndex(_h.Registry, TrustHarness.Repository, null, "amd64");
        var entry = Encoding.UTF8.GetString(_h.Registry.ManifestBytes(TrustHarness.Repository, "latest"));
        var index = entry.Replace("\"manifests\":[", "\"manifests\":[null,", StringComparison.Ordinal);
        var digest = PutJson("latest", index, MediaTypes.OciIndex);

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _h.Registry.Client().ResolveAsync(TrustHarness.Image, CancellationToken.None));
        var verdict = await _h.VerifyAsync(digest);

        Assert.Equal(RegistryFailure.Malformed, ex.Failure);
        Assert.Contains("manifests[0] is null", ex.Message, StringComparison.Ordinal);
        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.MalformedResponse);
    }

    [Fact]
    public async Task A_negative_layer_size_with_a_body_of_unannounced_length_is_a_malformed_response()
    {
        var digest = _h.PushImage();
        var payload = Encoding.UTF8.GetBytes("{\"critical\":{}}");
        var blob = _h.Registry.PutBlob(payload);
        PutJson(DigestValue.SignatureTag(digest),
            $$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","layers":[{"mediaType":"{{{MediaTypes.SimpleSigning}}}","digest":"{{{blob}}}","size":-5,"annotations":{"dev.cosignproject.cosign/signature":"AAAA"}}]}""");
        _h.Registry.Intercept = request => request.RequestUri!.AbsolutePath.EndsWith("/blobs/" + blob, StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(payload)) }
            : null;

        var verdict = await _h.VerifyAsync(digest);

        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.MalformedResponse && r.Message.Contains("layers[0].size is -5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_negative_expected_size_is_refused_before_any_read()
    {
        var blob = _h.Registry.PutBlob("x"u8.ToArray());
        _h.Registry.Intercept = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream("x"u8.ToArray())) };

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _h.Registry.Client().TryGetBlobAsync(TrustHarness.Image, blob, -5, 1024, CancellationToken.None));

        Assert.Equal(RegistryFailure.Malformed, ex.Failure);
        Assert.Empty(_h.Registry.Log);
    }

    [Theory]
    [InlineData("null", "the manifest is null")]
    [InlineData("[]", "not a valid manifest")]
    [InlineData("""{"schemaVersion":99999999999}""", "not a valid manifest")]
    [InlineData("""{"schemaVersion":"2"}""", "not a valid manifest")]
    [InlineData("""{"schemaVersion":2,"layers":{"a":1}}""", "not a valid manifest")]
    [InlineData("""{"schemaVersion":2,"layers":[1]}""", "not a valid manifest")]
    [InlineData("""{"schemaVersion":2,"layers":[{"size":"12"}]}""", "not a valid manifest")]
    [InlineData("""{"schemaVersion":2,"layers":[{"size":1e40}]}""", "not a valid manifest")]
    [InlineData("""{"schemaVersion":2,"layers":[{"size":1.5}]}""", "not a valid manifest")]
    [InlineData("""{"schemaVersion":2,"layers":[{"size":1,"annotations":{"k":5}}]}""", "not a valid manifest")]
    [InlineData("""{"schemaVersion":2,"layers":[{"size":1,"annotations":{"k":null}}]}""", "layers[0].annotations[\"k\"] is null")]
    [InlineData("""{"schemaVersion":2,"annotations":{"k":null}}""", "annotations[\"k\"] is null")]
    [InlineData("""{"schemaVersion":2,"config":{"size":-1}}""", "config.size is -1")]
    [InlineData("""{"schemaVersion":2,"subject":{"size":-9223372036854775808}}""", "subject.size is -9223372036854775808")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"size":-2}]}""", "manifests[0].size is -2")]
    public async Task Manifests_with_wrong_shapes_are_malformed_and_say_what_is_wrong(string json, string expected)
    {
        _h.Registry.Intercept = _ => Json(json);

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _h.Registry.Client().TryGetManifestAsync(TrustHarness.Image, "latest", CancellationToken.None));

        Assert.Equal(RegistryFailure.Malformed, ex.Failure);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_config_label_is_a_malformed_response()
    {
        var config = Encoding.UTF8.GetBytes("""{"config":{"Labels":{"org.opencontainers.image.source":null}}}""");
        var configDigest = _h.Registry.PutBlob(config);
        var digest = PutJson("latest", $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[]}""");

        var verdict = await _h.VerifyAsync(digest);

        Assert.Contains(verdict.Reasons, r => r.Code == ReasonCodes.MalformedResponse && r.Message.Contains("is null", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","dsseEnvelope":{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[null]}}""")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"tlogEntries":[null]},"dsseEnvelope":null}""")]
    [InlineData("null")]
    public async Task A_bundle_with_null_entries_never_escapes_the_verifier(string bundle)
    {
        var digest = _h.PushImage();
        var bytes = Encoding.UTF8.GetBytes(bundle);
        var blob = _h.Registry.PutBlob(bytes);
        var config = _h.Registry.PutBlob("{}"u8.ToArray());
        var referrer = PutJson("bundle",
            $$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"{{{MediaTypes.SigstoreBundleV03}}}","config":{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{config}}}","size":2},"layers":[{"mediaType":"{{{MediaTypes.SigstoreBundleV03}}}","digest":"{{{blob}}}","size":{{{bytes.Length}}}}],"subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{digest}}}","size":1}}""");
        PutJson(DigestValue.ReferrersTag(digest),
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{referrer}}","size":1,"artifactType":"{{MediaTypes.SigstoreBundleV03}}"}]}""", MediaTypes.OciIndex);

        var verdict = await _h.VerifyAsync(digest);

        Assert.NotEqual(UpdateAgent.Trust.Verification.VerdictOutcome.Accepted, verdict.Outcome);
        Assert.NotEmpty(verdict.Reasons);
    }

    public void Dispose() => _h.Dispose();

    private string PutJson(string reference, string json, string mediaType = MediaTypes.OciManifest) =>
        _h.Registry.PutManifest(TrustHarness.Repository, reference, Encoding.UTF8.GetBytes(json), mediaType);

    private static HttpResponseMessage Json(string json) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };
}
