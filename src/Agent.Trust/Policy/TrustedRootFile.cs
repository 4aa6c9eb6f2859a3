using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using UpdateAgent.Trust.Json;
using UpdateAgent.Trust.Signatures;

namespace UpdateAgent.Trust.Policy;

/// <summary>
/// Reads Sigstore's <c>trusted_root.json</c> (media type
/// <c>application/vnd.dev.sigstore.trustedroot+json;version=0.1</c>, or the newer
/// <c>application/vnd.dev.sigstore.trustedroot.v0.1+json</c> spelling) into a <see cref="SigstoreTrustRoot"/>:
/// Fulcio CAs, Rekor logs (v1 and v2), CT logs and timestamp authorities, each with its <c>validFor</c> window.
/// </summary>
internal static class TrustedRootFile
{
    /// <summary>Largest file read: the public-good root is about 10 KiB.</summary>
    public const long MaxBytes = 1024 * 1024;

    private const string MediaTypePrefix = "application/vnd.dev.sigstore.trustedroot";

    /// <summary>Reads and checks the trust root at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is missing, unreadable, too large or not a valid trust root; the message names the file and the element.</exception>
    public static SigstoreTrustRoot Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        DateTimeOffset written;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FormatException($"{path}: the trusted root file does not exist");
            }
            if (info.Length > MaxBytes)
            {
                throw new FormatException($"{path}: larger than {MaxBytes} bytes, not a trusted root");
            }
            using var stream = info.OpenRead();
            bytes = new byte[checked((int)Math.Min(stream.Length, MaxBytes + 1))];
            var read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read > MaxBytes)
            {
                throw new FormatException($"{path}: larger than {MaxBytes} bytes, not a trusted root");
            }
            bytes = bytes[..read];
            written = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OverflowException)
        {
            throw new FormatException($"{path}: cannot be read: {ex.Message}", ex);
        }
        try
        {
            return Parse(bytes) with { SourceFile = path, SourceWritten = written };
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Parses trust-root JSON.</summary>
    /// <exception cref="FormatException">Not a valid trust root; the message names the element.</exception>
    public static SigstoreTrustRoot Parse(byte[] json)
    {
        TrustedRootDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, TrustedRootJsonContext.Default.TrustedRootDocument);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not valid trusted-root JSON: {ex.Message}", ex);
        }
        if (document is null)
        {
            throw new FormatException("the document is null, not a trusted root");
        }
        if (document.MediaType is null || !document.MediaType.StartsWith(MediaTypePrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"mediaType is '{document.MediaType}', not {MediaTypePrefix}+json;version=0.1");
        }
        return new SigstoreTrustRoot
        {
            TransparencyLogs = Items(document.Tlogs, "tlogs").Select((l, i) => ReadLog(l, $"tlogs[{i}]")).ToList(),
            CertificateTransparencyLogs = Items(document.Ctlogs, "ctlogs").Select((l, i) => ReadLog(l, $"ctlogs[{i}]")).ToList(),
            CertificateAuthorities = Items(document.CertificateAuthorities, "certificateAuthorities")
                .Select((a, i) => ReadAuthority(a, $"certificateAuthorities[{i}]")).ToList(),
            TimestampAuthorities = Items(document.TimestampAuthorities, "timestampAuthorities")
                .Select((a, i) => ReadAuthority(a, $"timestampAuthorities[{i}]")).ToList(),
        };
    }

    /// <summary>
    /// The checkpoint origin of a log at <paramref name="baseUrl"/>: the URL without its scheme and
    /// trailing slashes (C2SP tlog-tiles), e.g. <c>log2025-1.rekor.sigstore.dev</c>.
    /// </summary>
    public static string? OriginOf(string? baseUrl)
    {
        if (baseUrl is null || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }
        var origin = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        return (origin + uri.AbsolutePath).TrimEnd('/');
    }

    private static List<T> Items<T>(List<T?>? items, string what) where T : class
    {
        if (items is null)
        {
            throw new FormatException($"{what} is null; leave it out or give a list");
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                throw new FormatException($"{what}[{i}] is null");
            }
        }
        return items.OfType<T>().ToList();
    }

    private static LogKey ReadLog(TrustedRootLog log, string where)
    {
        if (log.HashAlgorithm is not null && log.HashAlgorithm != "SHA2_256")
        {
            throw new FormatException($"{where}.hashAlgorithm is '{log.HashAlgorithm}'; only SHA2_256 logs are supported");
        }
        if (log.PublicKey is null)
        {
            throw new FormatException($"{where}.publicKey is missing");
        }
        var key = TrustedRootKey.Read(log.PublicKey.RawBytes, log.PublicKey.KeyDetails, $"{where}.publicKey");
        var keyId = Base64(log.LogId?.KeyId, $"{where}.logId.keyId");
        // Rekor v1 and CT log IDs are SHA-256 of the key, Rekor v2's the SHA-256 signed-note key ID.
        if (keyId.Length != 32)
        {
            throw new FormatException($"{where}.logId.keyId is {keyId.Length} bytes, not a 32-byte log ID");
        }
        var window = Window(log.PublicKey.ValidFor, $"{where}.publicKey.validFor");
        return new LogKey(key, Convert.ToHexStringLower(keyId), window, OriginOf(log.BaseUrl), log.BaseUrl);
    }

    private static CertificateAuthority ReadAuthority(TrustedRootAuthority authority, string where)
    {
        if (authority.CertChain is null)
        {
            throw new FormatException($"{where}.certChain is missing");
        }
        var raw = Items(authority.CertChain.Certificates, $"{where}.certChain.certificates");
        if (raw.Count == 0)
        {
            throw new FormatException($"{where}.certChain.certificates is empty");
        }
        var chain = new List<X509Certificate2>();
        for (var i = 0; i < raw.Count; i++)
        {
            var der = Base64(raw[i].RawBytes, $"{where}.certChain.certificates[{i}].rawBytes");
            try
            {
                chain.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException ex)
            {
                throw new FormatException($"{where}.certChain.certificates[{i}] is not a DER certificate: {ex.Message}", ex);
            }
        }
        var label = authority.Uri ?? authority.Subject?.CommonName ?? chain[0].Subject;
        return new CertificateAuthority(chain, Window(authority.ValidFor, $"{where}.validFor"), label);
    }

    private static ValidityWindow Window(TrustedRootWindow? window, string where)
    {
        // An open start would make a key valid since forever: Sigstore clients refuse that, and so do we.
        if (window?.Start is null)
        {
            throw new FormatException($"{where}.start is missing: the trust root must say from when it is valid");
        }
        var start = Instant(window.Start, $"{where}.start");
        var end = Instant(window.End, $"{where}.end");
        if (start is not null && end is not null && end < start)
        {
            throw new FormatException($"{where} ends ({end:u}) before it starts ({start:u})");
        }
        return new ValidityWindow(start, end);
    }

    private static DateTimeOffset? Instant(string? text, string where)
    {
        if (text is null)
        {
            return null;
        }
        // Protobuf's JSON mapping writes RFC 3339 with 'Z' or an offset; a bare local time is ambiguous.
        var hasZone = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasZone || !text.Contains('T', StringComparison.OrdinalIgnoreCase)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var instant))
        {
            throw new FormatException($"{where} is '{text}', not an RFC 3339 time");
        }
        return instant;
    }

    /// <summary>Decodes a protobuf-JSON <c>bytes</c> field (standard or URL-safe base64).</summary>
    internal static byte[] Base64(string? text, string where)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException($"{where} is missing");
        }
        try
        {
            return Dsse.DecodeBase64(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{where} is not base64", ex);
        }
    }
}
