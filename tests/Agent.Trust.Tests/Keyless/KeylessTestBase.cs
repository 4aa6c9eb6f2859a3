using System.Text;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Tests.Fakes;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.Trust.Tests.Keyless;

/// <summary>A harness, a throwaway Fulcio and Rekor, and a policy whose image must be signed by the keyless authority "release".</summary>
public abstract class KeylessTestBase : IDisposable
{
    internal KeylessTestBase() => Fulcio = new FulcioTestAuthority(H.Folder);

    internal TrustHarness H { get; } = new();

    internal FulcioTestAuthority Fulcio { get; }

    /// <summary>"Now" for the generated material: a fixed point inside the throwaway root's validity, never the wall clock.</summary>
    internal DateTimeOffset Now => new DateTimeOffset(Fulcio.Root.NotBefore.ToUniversalTime()).AddDays(200);

    /// <summary>Pushes an image signed by the gate, plus a keyless bundle from a leaf valid from <paramref name="leafFrom"/>.</summary>
    internal async Task<string> BundleSignedAsync(DateTimeOffset leafFrom, BundleShape shape)
    {
        var digest = H.PushImage();
        await H.SignAsync("gate", digest, "stage=prod");
        var (leaf, key) = Fulcio.IssueLeaf(leafFrom);
        using (key)
        {
            var bundle = KeylessBundleFactory.Bundle(Fulcio, leaf, key, digest, shape);
            KeylessBundleFactory.PushReferrer(H, digest, Encoding.UTF8.GetBytes(bundle.ToJsonString()));
        }
        return digest;
    }

    /// <summary>Verifies against "release" as configured by PEM (plus <paramref name="extra"/> settings), its trust root optionally rewritten.</summary>
    internal Task<Verdict> VerifyAsync(string digest, string extra = "", Func<SigstoreTrustRoot, SigstoreTrustRoot>? root = null)
    {
        var policy = H.Policy(extraAuthorities: Fulcio.AuthorityToml("release", extra));
        var authorities = policy.Authorities.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (root is not null)
        {
            var release = authorities["release"];
            authorities["release"] = new TrustAuthority(release.Name, release.Keys, release.Keyless, root(release.TrustRoot), release.RequireTransparencyLog);
        }
        return H.VerifyAsync(digest, new TrustPolicy
        {
            Authorities = authorities,
            Images = [new ImagePolicy { Repository = policy.Images[0].Repository, SignedBy = ["release"] }],
        });
    }

    internal static string Explain(Verdict verdict) => verdict.Outcome + ": " + string.Join("\n", verdict.Reasons);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Fulcio.Dispose();
            H.Dispose();
        }
    }
}
