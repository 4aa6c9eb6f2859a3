using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace UpdateAgent.Trust.Tests.Fakes;

/// <summary>
/// A throwaway RFC 3161 timestamp authority: a root, a leaf for time stamping (critical EKU), and
/// BouncyCastle's generator answering requests at whatever time the test names.
/// </summary>
internal sealed class TimestampTestAuthority : IDisposable
{
    private const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TimestampTestAuthority(string folder, DateTimeOffset validFrom, DateTimeOffset validUntil, string name = "tsa")
    {
        var rootRequest = new CertificateRequest($"CN={name} test root", _rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Root = rootRequest.CreateSelfSigned(validFrom, validUntil);
        var leafRequest = new CertificateRequest($"CN={name} test timestamping", _leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TimeStampingOid)], true));
        Leaf = leafRequest.Create(Root, validFrom, validUntil, [0x01, 0x02, 0x03]);
        ChainPath = Path.Combine(folder, name + "-chain.pem");
        File.WriteAllText(ChainPath, Leaf.ExportCertificatePem() + "\n" + Root.ExportCertificatePem());
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Leaf { get; }

    /// <summary>PEM file with the chain, leaf first: what <c>tsa_certificates</c> names.</summary>
    public string ChainPath { get; }

    /// <summary>A DER TimeStampResp over SHA-256 of <paramref name="message"/>, stamped <paramref name="at"/>.</summary>
    public byte[] Stamp(byte[] message, DateTimeOffset at)
    {
        var key = PrivateKeyFactory.CreateKey(_leafKey.ExportPkcs8PrivateKey());
        var generator = new TimeStampTokenGenerator(key, new Org.BouncyCastle.X509.X509Certificate(Leaf.RawData), TspAlgorithms.Sha256, "1.3.6.1.4.1.57264.99");
        var requests = new TimeStampRequestGenerator();
        requests.SetCertReq(true);
        var request = requests.Generate(TspAlgorithms.Sha256, SHA256.HashData(message), BigInteger.ValueOf(7));
        var response = new TimeStampResponseGenerator(generator, TspAlgorithms.Allowed).Generate(request, BigInteger.ValueOf(42), at.UtcDateTime);
        return response.GetEncoded();
    }

    public void Dispose()
    {
        _rootKey.Dispose();
        _leafKey.Dispose();
        Root.Dispose();
        Leaf.Dispose();
    }
}
