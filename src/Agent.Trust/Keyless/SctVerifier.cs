using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Trust.Keyless;

/// <summary>
/// Checks the signed certificate timestamps (SCTs) a Fulcio leaf embeds: the CT log's promise that
/// the certificate was published, so a certificate issued in secret is refused (RFC 6962 §3.2, §3.3).
/// </summary>
internal static class SctVerifier
{
    /// <summary>The X.509 extension holding the TLS-encoded SCT list.</summary>
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    // More SCTs than this in one certificate is not a certificate any CA issues.
    private const int MaxScts = 32;

    /// <summary>
    /// Null when at least one embedded SCT verifies with a CT log of <paramref name="logs"/> that
    /// was valid at the SCT's time; otherwise why not (none present, or why each one failed).
    /// </summary>
    /// <param name="leaf">The signing certificate.</param>
    /// <param name="issuer">The certificate that signed <paramref name="leaf"/>, from the verified chain.</param>
    /// <param name="logs">Trusted CT logs.</param>
    public static string? Check(X509Certificate2 leaf, X509Certificate2 issuer, IReadOnlyList<LogKey> logs)
    {
        var extension = leaf.Extensions.FirstOrDefault(e => e.Oid?.Value == SctListOid);
        if (extension is null)
        {
            return $"the certificate carries no SCT (extension {SctListOid}): it was not shown to be published in a certificate-transparency log";
        }
        List<Sct> scts;
        byte[] tbs;
        try
        {
            scts = ReadList(extension.RawData);
            tbs = PrecertificateTbs(leaf.RawData);
        }
        catch (Exception ex) when (ex is FormatException or AsnContentException)
        {
            return $"the certificate's SCT list is malformed: {ex.Message}";
        }
        if (scts.Count == 0)
        {
            return "the certificate's SCT list is empty";
        }
        byte[] issuerKeyHash;
        try
        {
            issuerKeyHash = SHA256.HashData(issuer.PublicKey.ExportSubjectPublicKeyInfo());
        }
        catch (CryptographicException ex)
        {
            return $"the issuing CA's key cannot be read: {ex.Message}";
        }
        var problems = new List<string>();
        foreach (var sct in scts)
        {
            var problem = CheckOne(sct, tbs, issuerKeyHash, logs);
            if (problem is null)
            {
                return null;
            }
            problems.Add(problem);
        }
        return $"no valid SCT: {string.Join("; ", problems)}";
    }

    private static string? CheckOne(Sct sct, byte[] tbs, byte[] issuerKeyHash, IReadOnlyList<LogKey> logs)
    {
        var logId = Convert.ToHexStringLower(sct.LogId);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(sct.TimestampMs);
        var candidates = logs.Where(l => l.LogIdHex == logId).ToList();
        if (candidates.Count == 0)
        {
            return $"SCT from log {logId[..16]}…, which is not a configured CT log";
        }
        var log = candidates.FirstOrDefault(l => l.ValidFor.Contains(at));
        if (log is null)
        {
            return $"SCT from CT log {Name(candidates[0])} at {at:u}, outside the log's window {candidates[0].ValidFor}";
        }
        return log.Key.Verify(SignedData(sct, tbs, issuerKeyHash), sct.Signature)
            ? null
            : $"the SCT signature of CT log {Name(log)} does not verify over this certificate";
    }

    private static string Name(LogKey log) => log.BaseUrl ?? log.LogIdHex[..16] + "…";

    // RFC 6962 §3.2: the digitally-signed struct of a precert_entry.
    private static byte[] SignedData(Sct sct, byte[] tbs, byte[] issuerKeyHash)
    {
        var data = new List<byte>(tbs.Length + 64) { 0 /* v1 */, 0 /* certificate_timestamp */ };
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(eight, (ulong)sct.TimestampMs);
        data.AddRange(eight.ToArray());
        data.AddRange([0, 1]); // entry_type precert_entry
        data.AddRange(issuerKeyHash);
        data.AddRange([(byte)(tbs.Length >> 16), (byte)(tbs.Length >> 8), (byte)tbs.Length]);
        data.AddRange(tbs);
        data.AddRange([(byte)(sct.Extensions.Length >> 8), (byte)sct.Extensions.Length]);
        data.AddRange(sct.Extensions);
        return [.. data];
    }

    /// <summary>The leaf's TBSCertificate without the SCT-list extension: what the CT log signed.</summary>
    /// <remarks>
    /// RFC 6962 also allows a dedicated precertificate-signing certificate, whose issuer and key then
    /// replace its own in the signed data; Fulcio signs precertificates with its CA key directly, so
    /// that form is not rebuilt and such an SCT simply does not verify.
    /// </remarks>
    internal static byte[] PrecertificateTbs(byte[] certificateDer)
    {
        var certificate = new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificate.ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
            while (tbs.HasData)
            {
                if (tbs.PeekTag() != extensionsTag)
                {
                    writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                    continue;
                }
                var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
                using (writer.PushSequence(extensionsTag))
                using (writer.PushSequence())
                {
                    while (extensions.HasData)
                    {
                        var encoded = extensions.ReadEncodedValue();
                        var oid = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier();
                        if (oid != SctListOid)
                        {
                            writer.WriteEncodedValue(encoded.Span);
                        }
                    }
                }
            }
        }
        return writer.Encode();
    }

    // The extension value is an OCTET STRING holding SignedCertificateTimestampList (RFC 6962 §3.3).
    private static List<Sct> ReadList(byte[] extensionValue)
    {
        var tls = new AsnReader(extensionValue, AsnEncodingRules.DER).ReadOctetString();
        var list = new TlsReader(tls);
        var body = new TlsReader(list.Vector(2));
        list.End("the SCT list");
        var scts = new List<Sct>();
        while (!body.AtEnd)
        {
            if (scts.Count == MaxScts)
            {
                throw new FormatException($"more than {MaxScts} SCTs");
            }
            var one = new TlsReader(body.Vector(2));
            if (one.Byte() != 0)
            {
                // Only v1 exists; an unknown version is skipped by RFC 6962 clients, so it cannot count.
                continue;
            }
            var logId = one.Bytes(32);
            var timestamp = one.Bytes(8);
            var extensions = one.Vector(2);
            var hash = one.Byte();
            var algorithm = one.Byte();
            var signature = one.Vector(2);
            one.End("an SCT");
            if (hash != 4 || algorithm is not (1 or 3))
            {
                throw new FormatException($"SCT signature algorithm ({hash},{algorithm}) is not SHA-256 with RSA or ECDSA");
            }
            var ms = BinaryPrimitives.ReadUInt64BigEndian(timestamp);
            if (ms > (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                throw new FormatException("SCT timestamp out of range");
            }
            scts.Add(new Sct(logId, (long)ms, extensions, signature));
        }
        return scts;
    }

    private sealed record Sct(byte[] LogId, long TimestampMs, byte[] Extensions, byte[] Signature);

    /// <summary>Bounded reads of TLS presentation-language data.</summary>
    private sealed class TlsReader(byte[] data)
    {
        private int _at;

        public bool AtEnd => _at == data.Length;

        public byte Byte() => Bytes(1)[0];

        public byte[] Bytes(int count)
        {
            if (count > data.Length - _at)
            {
                throw new FormatException("truncated");
            }
            var bytes = data.AsSpan(_at, count).ToArray();
            _at += count;
            return bytes;
        }

        public byte[] Vector(int lengthBytes)
        {
            var length = 0;
            foreach (var b in Bytes(lengthBytes))
            {
                length = (length << 8) | b;
            }
            return Bytes(length);
        }

        public void End(string what)
        {
            if (!AtEnd)
            {
                throw new FormatException($"bytes after {what}");
            }
        }
    }
}
