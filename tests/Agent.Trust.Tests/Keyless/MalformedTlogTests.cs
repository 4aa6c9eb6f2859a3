using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Signing;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

/// <summary>Log entries anyone can push with numbers that are no time, index or size: a refusal with a reason, never an exception.</summary>
public sealed class MalformedTlogTests : KeylessTestBase
{
    private DateTimeOffset SignedAt => Now.AddHours(-3);

    [Theory]
    [InlineData("integratedTime", "99999999999999")]
    [InlineData("integratedTime", "-5")]
    [InlineData("integratedTime", "99999999999999999999999")]
    [InlineData("logIndex", "-1")]
    [InlineData("treeSize", "-13")]
    [InlineData("proofIndex", "-1")]
    public async Task Bundle_entry_with_out_of_range_numbers_is_refused_as_invalid_tlog(string field, string value)
    {
        var digest = await BundleSignedAsync(SignedAt.AddMinutes(-2), new BundleShape
        {
            IntegratedAt = SignedAt,
            Mutate = entry =>
            {
                switch (field)
                {
                    case "treeSize":
                        entry["inclusionProof"]!["treeSize"] = value;
                        break;
                    case "proofIndex":
                        entry["inclusionProof"]!["logIndex"] = value;
                        break;
                    default:
                        entry[field] = value;
                        break;
                }
            },
        });

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
    }

    [Fact]
    public async Task Bundle_entry_that_is_null_is_refused_as_invalid_tlog()
    {
        var digest = H.PushImage();
        await H.SignAsync("gate", digest, "stage=prod");
        var (leaf, key) = Fulcio.IssueLeaf(SignedAt.AddMinutes(-2));
        using (key)
        {
            var bundle = KeylessBundleFactory.Bundle(Fulcio, leaf, key, digest, new BundleShape { IntegratedAt = SignedAt, WithSet = true });
            bundle["verificationMaterial"]!["tlogEntries"] = new JsonArray((JsonNode?)null);
            KeylessBundleFactory.PushReferrer(H, digest, System.Text.Encoding.UTF8.GetBytes(bundle.ToJsonString()));
        }

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
    }

    [Theory]
    [InlineData(99_999_999_999_999L, null)]
    [InlineData(null, "1e20")]
    [InlineData(null, "99999999999999999999999")]
    public async Task Sig_layer_Rekor_bundle_with_a_time_that_is_no_date_is_refused_as_invalid_tlog(long? signedTime, string? editedTime)
    {
        var digest = H.PushImage();
        await H.SignAsync("gate", digest, "stage=prod");
        var (leaf, key) = Fulcio.IssueLeaf(SignedAt.AddMinutes(-2));
        using (key)
        {
            var payload = SimpleSigningPayload.Create(TrustHarness.Image.Name, digest, new Dictionary<string, string>());
            // The log's key signs whatever time it is given: the reader must not trust it to be a date.
            var annotations = Fulcio.SignLayer(payload, leaf, key, SignedAt, unixTime: signedTime);
            if (editedTime is not null)
            {
                annotations[LegacySignatureReader.BundleAnnotation] = Regex.Replace(
                    annotations[LegacySignatureReader.BundleAnnotation], "\"integratedTime\":[0-9]+", $"\"integratedTime\":{editedTime}");
            }
            await new CosignSigner(H.Registry.Client()).AppendLayerAsync(TrustHarness.Image, digest, payload, annotations, CancellationToken.None);
        }

        var verdict = await VerifyAsync(digest);

        Assert.True(verdict.Has(ReasonCodes.InvalidTlog), Explain(verdict));
    }
}
