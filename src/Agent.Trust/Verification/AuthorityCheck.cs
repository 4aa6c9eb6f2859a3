using UpdateAgent.Trust.Keyless;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Verification;

/// <summary>The outcome of checking one signature against one authority.</summary>
internal sealed record AuthorityCheck(string Authority, SignatureEvidence Evidence, SignerInfo? Signer, FulcioCertificate? Certificate, VerdictReason? Failure)
{
    public bool Verified => Signer is not null;

    public static AuthorityCheck Fail(string authority, SignatureEvidence evidence, string code, string message) =>
        new(authority, evidence, null, null, new VerdictReason(code, $"{evidence.Origin}: {message}"));
}
