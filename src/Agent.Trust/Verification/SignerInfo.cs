namespace UpdateAgent.Trust.Verification;

/// <summary>An authority whose signature on the image verified.</summary>
/// <param name="Authority">The policy's name for the authority.</param>
/// <param name="Identity">Key fingerprint (<c>sha256:…</c> of the public key) or the certificate's subject.</param>
/// <param name="Issuer">OIDC issuer for keyless signers, else null.</param>
/// <param name="Origin">Where the signature was stored.</param>
/// <param name="SignedAt">Verified signing time (a signed entry timestamp's integration time, else a timestamp authority's time), when there is one.</param>
public sealed record SignerInfo(string Authority, string Identity, string? Issuer, string Origin, DateTimeOffset? SignedAt);
