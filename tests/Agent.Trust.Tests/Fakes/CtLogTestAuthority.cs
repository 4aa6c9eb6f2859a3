using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>
/// A throwaway certificate-transparency log: issues RFC 6962 SCTs over a precertificate, to embed
/// in a test Fulcio leaf (extension 1.3.6.1.4.1.11129.2.4.2).
/// </summary>
internal sealed class CtLogTestAuthority : IDisposable
{
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    public CtLogTestAuthority(string folder, string name = "ctlog")
    {
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        KeyPath = Path.Combine(folder, name + ".pub");
        File.WriteAllText(KeyPath, Key.ExportSubjectPublicKeyInfoPem());
    }

    public ECDsa Key { get; }
    public string KeyPath { get; }
    public byte[] LogId => SHA256.HashData(Key.ExportSubjectPublicKeyInfo());

    /// <summary>One serialized SCT (v1) over <paramref name="precertTbs"/> issued by the CA whose SPKI hashes to <paramref name="issuerKeyHash"/>.</summary>
    public byte[] Sct(byte[] precertTbs, byte[] issuerKeyHash, DateTimeOffset at, bool breakSignature = false)
    {
        var timestamp = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(timestamp, (ulong)at.ToUnixTimeMilliseconds());
        byte[] signed = [0, 0, .. timestamp, 0, 1, .. issuerKeyHash,
            (byte)(precertTbs.Length >> 16), (byte)(precertTbs.Length >> 8), (byte)precertTbs.Length, .. precertTbs, 0, 0];
        var signature = Key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (breakSignature)
        {
            signed[^3] ^= 0x01;
            signature = Key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        return [0, .. LogId, .. timestamp, 0, 0, 4, 3, (byte)(signature.Length >> 8), (byte)signature.Length, .. signature];
    }

    /// <summary>The X.509 extension value carrying <paramref name="scts"/>: an OCTET STRING of the TLS SCT list.</summary>
    public static byte[] ListExtension(params byte[][] scts)
    {
        var body = scts.SelectMany(s => new[] { (byte)(s.Length >> 8), (byte)s.Length }.Concat(s)).ToArray();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString([(byte)(body.Length >> 8), (byte)body.Length, .. body]);
        return writer.Encode();
    }

    /// <summary>The TBSCertificate of a DER certificate, as issued.</summary>
    public static byte[] Tbs(byte[] certificateDer) =>
        new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().ToArray();

    public void Dispose() => Key.Dispose();
}
