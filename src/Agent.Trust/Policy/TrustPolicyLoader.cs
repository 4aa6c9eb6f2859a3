using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Model;
using UpdateAgent.Trust.Json;
using UpdateAgent.Trust.Registry;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Policy;

/// <summary>
/// Loads a <see cref="TrustPolicy"/> from TOML (schema in docs/policy.md). Relative key and
/// certificate paths are resolved against the policy file's folder. Reports every error with
/// file and key path instead of stopping at the first.
/// </summary>
public static partial class TrustPolicyLoader
{
    /// <summary>Where the daemon looks when no <c>--config</c> is given.</summary>
    public const string DefaultPath = "/etc/update-agent/policy.toml";

    private const long MaxPolicyBytes = 1024 * 1024;
    private const long MaxKeyFileBytes = 256 * 1024;

    /// <summary>Loads and checks the policy at <paramref name="path"/>.</summary>
    public static PolicyLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<PolicyError>();
        if (!File.Exists(path))
        {
            errors.Add(new PolicyError(path, string.Empty, "the policy file does not exist"));
            return new PolicyLoadResult(null, errors);
        }
        if (new FileInfo(path).Length > MaxPolicyBytes)
        {
            errors.Add(new PolicyError(path, string.Empty, $"the policy file is larger than {MaxPolicyBytes} bytes"));
            return new PolicyLoadResult(null, errors);
        }
        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/");
    }

    /// <summary>Parses policy text; <paramref name="baseDirectory"/> resolves relative file paths.</summary>
    public static PolicyLoadResult Parse(string toml, string file, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(toml);
        var errors = new List<PolicyError>();
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize(toml, TrustTomlContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            errors.Add(new PolicyError(file, string.Empty, $"not valid TOML: {ex.Message}"));
            return new PolicyLoadResult(null, errors);
        }
        var root = new TomlSection(model, string.Empty, file, errors);
        var context = new LoadContext(file, baseDirectory, errors);

        var registries = root.Table("registries");
        var insecure = registries?.Strings("insecure") ?? [];
        var authFile = registries?.String("auth_file");
        var registriesConf = registries?.String("registries_conf");
        var certsDirectories = registries?.Strings("certs_dirs");
        var timeout = registries?.Integer("timeout_seconds", 1, 3600);
        var tokenHosts = TokenHosts(registries);
        var limits = ReadLimits(registries);
        registries?.RejectUnknown();

        var revoked = Digests(root, "revoked");
        var authorities = new Dictionary<string, TrustAuthority>(StringComparer.Ordinal);
        foreach (var (name, section) in root.Table("authorities")?.SubTables() ?? [])
        {
            var authority = ReadAuthority(name, section, context);
            if (authority is not null)
            {
                authorities[name] = authority;
            }
        }
        var images = new List<ImagePolicy>();
        foreach (var section in root.TableArray("image"))
        {
            var image = ReadImage(section, authorities);
            if (image is null)
            {
                continue;
            }
            // Two rules for one repository would leave the outcome to file order: the first would
            // win even if the second is the stricter one the operator just added.
            if (images.Any(i => string.Equals(i.Repository, image.Repository, StringComparison.Ordinal)))
            {
                section.Error("repository", $"an earlier [[image]] rule is for '{image.Repository}' too; merge the two into one");
                continue;
            }
            images.Add(image);
        }
        // No [[image]] rule is a valid policy: a fresh install refuses every image ("no-policy")
        // and reports the units, which is the safe state until the operator writes rules.
        root.RejectUnknown();
        if (errors.Count > 0)
        {
            return new PolicyLoadResult(null, errors);
        }
        return new PolicyLoadResult(new TrustPolicy
        {
            Authorities = authorities,
            Images = images,
            Revoked = revoked,
            InsecureRegistries = insecure,
            AuthFile = authFile is null ? null : context.Resolve(authFile),
            RegistriesConf = registriesConf is null ? RegistriesConf.DefaultPath : context.Resolve(registriesConf),
            RequestTimeout = TimeSpan.FromSeconds(timeout ?? 30),
            CertsDirectories = certsDirectories is { Count: > 0 }
                ? certsDirectories.Select(d => Path.GetFullPath(d, baseDirectory)).ToList()
                : RegistryCertificates.DefaultDirectories,
            Files = context.NamedFiles,
            TokenHosts = tokenHosts,
            Limits = limits,
        }, errors);
    }

    /// <summary><c>registries.token_hosts</c>: bare host names that may receive credentials as a token realm.</summary>
    private static List<string> TokenHosts(TomlSection? registries)
    {
        var hosts = registries?.Strings("token_hosts") ?? [];
        foreach (var host in hosts.Where(h => Uri.CheckHostName(h) is UriHostNameType.Unknown or UriHostNameType.Basic))
        {
            registries!.Error("token_hosts", $"'{host}' is not a host name (give the host alone: no scheme, port or path)");
        }
        return hosts;
    }

    /// <summary>One verification's registry budget: <c>registries.verify_max_*</c>, each defaulting to <see cref="VerificationLimits.Default"/>.</summary>
    private static VerificationLimits ReadLimits(TomlSection? registries)
    {
        var defaults = VerificationLimits.Default;
        var bytes = registries?.Integer("verify_max_bytes", 64 * 1024, 1024L * 1024 * 1024);
        var requests = registries?.Integer("verify_max_requests", 10, 10_000);
        var seconds = registries?.Integer("verify_max_seconds", 1, 3600);
        return new VerificationLimits(bytes ?? defaults.MaxBytes, (int)(requests ?? defaults.MaxRequests),
            seconds is { } s ? TimeSpan.FromSeconds(s) : defaults.MaxDuration);
    }

    private static TrustAuthority? ReadAuthority(string name, TomlSection section, LoadContext context)
    {
        var keyPaths = section.Strings("key");
        var issuer = section.String("issuer");
        var issuerPattern = Pattern(section, "issuer_regexp");
        var subject = section.String("subject");
        var subjectPattern = Pattern(section, "subject_regexp");
        var roots = section.Strings("fulcio_roots");
        var workflowRepository = section.String("workflow_repository");
        var workflowRef = section.String("workflow_ref");
        var rekorKeyPaths = section.Strings("rekor_key");
        var requireTlog = section.Bool("require_tlog");
        var tsaPaths = section.Strings("tsa_certificates");
        var trustedRootPath = section.String("trusted_root");
        var ctLogKeyPaths = section.Strings("ct_log_key");
        var requireSct = section.Bool("require_sct");
        section.RejectUnknown();

        var keyless = issuer is not null || issuerPattern is not null || subject is not null || subjectPattern is not null || roots.Count > 0;
        if (keyPaths.Count > 0 == keyless)
        {
            section.Error("key", "an authority needs either 'key' or the keyless settings (issuer and subject, with trusted_root or fulcio_roots), not both");
            return null;
        }
        var keys = keyPaths.Select(p => LoadKey(section, "key", context.Resolve(p))).OfType<VerificationKey>().ToList();
        var trustRoot = ReadTrustRoot(section, context, trustedRootPath, roots, rekorKeyPaths, ctLogKeyPaths, tsaPaths);
        KeylessIdentity? identity = null;
        if (keyless)
        {
            if ((issuer is null) == (issuerPattern is null))
            {
                section.Error("issuer", "a keyless authority needs exactly one of 'issuer' and 'issuer_regexp'");
            }
            if ((subject is null) == (subjectPattern is null))
            {
                section.Error("subject", "a keyless authority needs exactly one of 'subject' and 'subject_regexp'");
            }
            if (trustedRootPath is null && roots.Count == 0)
            {
                section.Error("fulcio_roots", "a keyless authority needs the Fulcio CA: 'trusted_root' or 'fulcio_roots'");
            }
            if (trustedRootPath is null && rekorKeyPaths.Count == 0)
            {
                section.Error("rekor_key", "a keyless authority needs the Rekor public key ('rekor_key' or 'trusted_root'): the signing time comes from the log");
            }
            // A Fulcio leaf without a checked SCT could have been issued in secret; refusing to load
            // is the careful default, and opting out has to be written down.
            if (requireSct != false && trustedRootPath is null && ctLogKeyPaths.Count == 0)
            {
                section.Error("ct_log_key", "a keyless authority checks the certificate's SCTs: add 'ct_log_key' (the CT log's public key) or 'trusted_root', or set require_sct = false");
            }
            CheckKeylessTrustRoot(section, trustedRootPath, trustRoot, requireSct);
            identity = new KeylessIdentity
            {
                Issuer = issuer,
                IssuerPattern = issuerPattern,
                Subject = subject,
                SubjectPattern = subjectPattern,
                WorkflowRepository = workflowRepository,
                WorkflowRef = workflowRef,
            };
        }
        else
        {
            if (workflowRepository is not null || workflowRef is not null)
            {
                section.Error("workflow_repository", "workflow settings apply to keyless authorities only");
            }
            if (ctLogKeyPaths.Count > 0 || requireSct is not null)
            {
                section.Error(ctLogKeyPaths.Count > 0 ? "ct_log_key" : "require_sct", "SCT settings apply to keyless authorities only");
            }
        }
        var hasLog = rekorKeyPaths.Count > 0 || trustRoot.TransparencyLogs.Count > 0;
        if (requireTlog == true && !hasLog)
        {
            section.Error("require_tlog", "requiring a transparency log needs 'rekor_key' or a 'trusted_root' with a Rekor log");
        }
        return new TrustAuthority(name, keys, identity, trustRoot, keyless || (requireTlog ?? hasLog)) { RequireSct = requireSct ?? true };
    }

    private static ImagePolicy? ReadImage(TomlSection section, Dictionary<string, TrustAuthority> authorities)
    {
        var repository = section.String("repository", required: true);
        var signedBy = section.Strings("signed_by");
        var blessedBy = section.String("blessed_by");
        var bless = section.StringMap("bless");
        var source = section.String("source");
        var sourceFrom = section.String("source_from");
        var antiDowngrade = section.Bool("anti_downgrade");
        var revoked = Digests(section, "revoked");
        section.RejectUnknown();

        if (repository is not null && !IsRepositoryPattern(repository))
        {
            section.Error("repository", $"'{repository}' is not registry/repository, optionally ending in /*");
        }
        if (signedBy.Count == 0)
        {
            section.Error("signed_by", "name at least one authority");
        }
        foreach (var name in signedBy.Append(blessedBy).OfType<string>().Where(n => !authorities.ContainsKey(n)))
        {
            section.Error(name == blessedBy ? "blessed_by" : "signed_by", $"no authority is named '{name}'");
        }
        if (blessedBy is not null && bless.Count == 0)
        {
            section.Error("bless", "'blessed_by' needs the annotations to require, e.g. bless = { stage = \"prod\" }");
        }
        SourceOrigin origin = SourceOrigin.Label;
        if (sourceFrom is not null && !Enum.TryParse(sourceFrom, ignoreCase: true, out origin))
        {
            section.Error("source_from", "must be \"label\", \"certificate\" or \"any\"");
        }
        if (repository is null)
        {
            return null;
        }
        return new ImagePolicy
        {
            Repository = repository,
            SignedBy = signedBy,
            BlessedBy = blessedBy,
            BlessAnnotations = bless,
            Source = source,
            SourceFrom = origin,
            AntiDowngrade = antiDowngrade ?? true,
            Revoked = revoked,
        };
    }

    private static bool IsRepositoryPattern(string pattern)
    {
        var plain = pattern.EndsWith("/*", StringComparison.Ordinal) ? pattern[..^2] : pattern;
        return plain.Contains('/', StringComparison.Ordinal) && ImageReference.TryParse(plain, out var parsed)
            && parsed.Tag is null && parsed.Digest is null && parsed.Name == plain;
    }

    private static HashSet<string> Digests(TomlSection section, string key)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var digest in section.Strings(key))
        {
            if (DigestValue.IsValid(digest))
            {
                set.Add(digest);
            }
            else
            {
                section.Error(key, $"'{digest}' is not a sha256 digest");
            }
        }
        return set;
    }

    private static string? Pattern(TomlSection section, string key)
    {
        var text = section.String(key);
        if (text is null)
        {
            return null;
        }
        try
        {
            _ = new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return text;
        }
        catch (ArgumentException ex)
        {
            section.Error(key, $"is not a valid regular expression: {ex.Message}");
            return null;
        }
    }

    private static VerificationKey? LoadKey(TomlSection section, string key, string path)
    {
        var text = ReadSmallFile(section, key, path);
        if (text is null)
        {
            return null;
        }
        try
        {
            return VerificationKey.FromPem(text);
        }
        catch (FormatException ex)
        {
            section.Error(key, $"{path}: {ex.Message}");
            return null;
        }
    }

    private static string? ReadSmallFile(TomlSection section, string key, string path)
    {
        try
        {
            if (new FileInfo(path).Length > MaxKeyFileBytes)
            {
                section.Error(key, $"{path}: larger than {MaxKeyFileBytes} bytes");
                return null;
            }
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            section.Error(key, $"{path}: {ex.Message}");
            return null;
        }
    }

    private sealed record LoadContext(string File, string BaseDirectory, List<PolicyError> Errors)
    {
        /// <summary>Every file the policy names, in the order first named.</summary>
        public List<string> NamedFiles { get; } = [];

        /// <summary>The absolute path of a file the policy names, remembered so its owner and mode can be checked.</summary>
        public string Resolve(string path)
        {
            var full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));
            if (!NamedFiles.Contains(full, StringComparer.Ordinal))
            {
                NamedFiles.Add(full);
            }
            return full;
        }
    }
}
