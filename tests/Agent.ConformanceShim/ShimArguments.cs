namespace UpdateAgent.ConformanceShim;

/// <summary>
/// The arguments of the sigstore-conformance client protocol's <c>verify-bundle</c>:
/// <c>[--staging] --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key FILE) [--trusted-root FILE] FILE_OR_DIGEST</c>.
/// </summary>
internal sealed record ShimArguments
{
    public required string Bundle { get; init; }
    public string? Identity { get; init; }
    public string? Issuer { get; init; }
    public string? Key { get; init; }
    public string? TrustedRoot { get; init; }
    public bool Staging { get; init; }

    /// <summary>The artifact's path, or its <c>sha256:</c> digest.</summary>
    public required string FileOrDigest { get; init; }

    /// <summary>Parses <paramref name="args"/>; on a usage error returns null and says why in <paramref name="error"/>.</summary>
    public static ShimArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        if (args.Count == 0 || args[0] != "verify-bundle")
        {
            error = $"only 'verify-bundle' is supported, not '{(args.Count == 0 ? "" : args[0])}'";
            return null;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        string? positional = null;
        var staging = false;
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--staging")
            {
                staging = true;
            }
            else if (arg is "--bundle" or "--certificate-identity" or "--certificate-oidc-issuer" or "--key" or "--trusted-root")
            {
                if (i + 1 >= args.Count)
                {
                    error = $"{arg} needs a value";
                    return null;
                }
                if (!options.TryAdd(arg, args[++i]))
                {
                    error = $"{arg} is given twice";
                    return null;
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) || positional is not null)
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }
            else
            {
                positional = arg;
            }
        }
        var key = options.GetValueOrDefault("--key");
        var identity = options.GetValueOrDefault("--certificate-identity");
        var issuer = options.GetValueOrDefault("--certificate-oidc-issuer");
        error = options.ContainsKey("--bundle") is false ? "--bundle is required"
            : positional is null ? "FILE_OR_DIGEST is required"
            : key is not null && (identity is not null || issuer is not null) ? "--key excludes --certificate-identity and --certificate-oidc-issuer"
            : key is null && (identity is null || issuer is null) ? "either --key, or both --certificate-identity and --certificate-oidc-issuer, are required"
            : null;
        return error is not null ? null : new ShimArguments
        {
            Bundle = options["--bundle"],
            Identity = identity,
            Issuer = issuer,
            Key = key,
            TrustedRoot = options.GetValueOrDefault("--trusted-root"),
            Staging = staging,
            FileOrDigest = positional!,
        };
    }
}
