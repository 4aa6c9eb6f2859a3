using System.Security.Cryptography;
using UpdateAgent.References;
using UpdateAgent.Trust.Policy;
using UpdateAgent.Trust.Signatures;
using UpdateAgent.Trust.Verification;

namespace UpdateAgent.ConformanceShim;

/// <summary>
/// <c>verify-bundle</c> of the sigstore-conformance client protocol, answered by
/// <see cref="BundleVerification"/>: exit 0 when the bundle verifies, 1 with the reason code and
/// message when it does not, 2 when the request itself cannot be served.
/// </summary>
public static class ShimCommand
{
    /// <summary>
    /// Names a <c>trusted_root.json</c> to use when <c>--trusted-root</c> is not given: the shim has
    /// no TUF client, so the public-good root must be supplied by the caller.
    /// </summary>
    public const string DefaultTrustedRootVariable = "UPDATE_AGENT_CONFORMANCE_TRUSTED_ROOT";

    public const int Verified = 0;
    public const int Refused = 1;
    public const int UsageError = 2;

    // Bundles are small JSON documents; anything larger is not one.
    private const int MaxBundleBytes = 16 * 1024 * 1024;

    /// <summary>Runs one command; never throws for bad input.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var parsed = ShimArguments.Parse(args, out var usage);
        if (parsed is null)
        {
            error.WriteLine($"usage: {usage}");
            return UsageError;
        }
        try
        {
            var rootPath = parsed.TrustedRoot ?? Environment.GetEnvironmentVariable(DefaultTrustedRootVariable);
            if (string.IsNullOrEmpty(rootPath))
            {
                error.WriteLine($"no trust root: pass --trusted-root or set {DefaultTrustedRootVariable} (this client has no TUF)");
                return UsageError;
            }
            if (parsed.Staging && parsed.TrustedRoot is null)
            {
                error.WriteLine("--staging needs --trusted-root with the staging instance's root (this client has no TUF)");
                return UsageError;
            }
            // The agent's own reader: what a trust root means here is what it means in a policy.
            var root = TrustedRootFile.Read(rootPath);
            var authority = parsed.Key is not null
                ? BundleVerification.KeyAuthority(VerificationKey.FromPem(File.ReadAllText(parsed.Key)), root)
                : BundleVerification.KeylessAuthority(parsed.Identity!, parsed.Issuer!, root);
            var check = BundleVerification.Verify(ReadBounded(parsed.Bundle), ArtifactDigest(parsed.FileOrDigest), authority);
            if (check.Failure is { } failure)
            {
                error.WriteLine($"{failure.Code}: {failure.Message}");
                return Refused;
            }
            var signer = check.Signer!;
            output.WriteLine($"OK: signed by {signer.Identity}{(signer.Issuer is null ? "" : $" ({signer.Issuer})")}{(signer.SignedAt is { } at ? $" at {at:u}" : "")}");
            return Verified;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or CryptographicException)
        {
            error.WriteLine($"cannot verify: {ex.Message}");
            return Refused;
        }
    }

    /// <summary>
    /// The digest to verify: the argument itself when it is a <c>sha256:</c> digest and not a path
    /// on disk (the protocol's rule), otherwise the SHA-256 of the file it names.
    /// </summary>
    public static string ArtifactDigest(string fileOrDigest)
    {
        var lower = fileOrDigest.ToLowerInvariant();
        if (DigestValue.IsValid(lower) && !File.Exists(fileOrDigest))
        {
            return lower;
        }
        using var stream = File.OpenRead(fileOrDigest);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static byte[] ReadBounded(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxBundleBytes)
        {
            throw new IOException($"{path} is larger than {MaxBundleBytes} bytes, not a bundle");
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
