using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Fuzz.Targets;

/// <summary>
/// The Rekor log the checkpoint and tlog seeds were signed by: a throwaway test key whose public
/// half is here so that the seeds verify and the fuzzer starts from inputs that pass every check.
/// </summary>
internal static class FuzzLog
{
    public const string LogIdHex = "ab82921c9a617f632237fb2ce0645f29399a65cf48e984565a17e2917fbc79d4";

    private const string PublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhfeTOR7iT+CM1q9C/YgKG4LIVKZV
        8rDskoGrzSkAaAWQiD7qJjSWQJOK2l7omzTmsYETAU+FM9Ia60gSefHorA==
        -----END PUBLIC KEY-----
        """;

    /// <summary>The log as a policy names it by origin, and as a trusted root names it by URL only.</summary>
    public static IReadOnlyList<LogKey> Logs { get; } =
    [
        new(VerificationKey.FromPem(PublicKeyPem), LogIdHex, ValidityWindow.Unbounded, Origin: "rekor.test"),
        new(VerificationKey.FromPem(PublicKeyPem), LogIdHex, ValidityWindow.Unbounded, BaseUrl: "https://rekor.test"),
    ];
}
