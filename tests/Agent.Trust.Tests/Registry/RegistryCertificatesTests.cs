using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Trust.Tests.Registry;

/// <summary>A registry's own certs.d folder makes its private CA trusted for it, and for no other host.</summary>
public sealed class RegistryCertificatesTests : IDisposable
{
    private readonly string _certsD = Directory.CreateTempSubdirectory("certs-d-").FullName;

    [Fact]
    public void Authorities_come_from_the_host_port_folder_and_the_bare_host_only_for_443()
    {
        var (ca, _) = Authority("folder-ca");
        WriteCa("reg.test:5000", ca);
        WriteCa("reg.test", ca);
        var certificates = new RegistryCertificates([_certsD, Path.Combine(_certsD, "missing")]);

        Assert.Single(certificates.AuthoritiesFor("reg.test", 5000));
        Assert.Single(certificates.AuthoritiesFor("reg.test", 443));
        Assert.Empty(certificates.AuthoritiesFor("reg.test", 5001));
        Assert.Empty(certificates.AuthoritiesFor("other.test", 5000));
        Assert.Empty(certificates.AuthoritiesFor("reg.tes", null));
        Assert.Equal(2, certificates.AuthoritiesFor("reg.test", null).Count); // the handshake's view: every port of the host
    }

    [Fact]
    public void A_broken_crt_trusts_nothing_and_a_client_pair_is_found()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_certsD, "reg.test:5000")).FullName;
        File.WriteAllText(Path.Combine(folder, "broken.crt"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "client.cert"), client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "client.key"), key.ExportPkcs8PrivateKeyPem());
        var certificates = new RegistryCertificates([_certsD]);

        Assert.Empty(certificates.AuthoritiesFor("reg.test", 5000));
        using var found = certificates.ClientCertificateFor("reg.test", 5000);
        Assert.Equal("CN=client", found?.Subject);
        Assert.True(found?.HasPrivateKey);
    }

    [Fact]
    public async Task A_registry_whose_ca_is_in_its_folder_is_reached_over_tls_and_without_it_the_handshake_fails()
    {
        var (ca, caKey) = Authority("private-ca");
        using var server = Leaf(ca, caKey, "127.0.0.1");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var serving = ServeAsync(listener, server, stop.Token);

        using (var without = TrustServices.CreateHttpClient([_certsD]))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => without.GetAsync(new Uri($"https://127.0.0.1:{port}/v2/"), stop.Token));
        }
        WriteCa($"127.0.0.2:{port}", ca); // another host's folder vouches for nothing here
        using (var otherHost = TrustServices.CreateHttpClient([_certsD]))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => otherHost.GetAsync(new Uri($"https://127.0.0.1:{port}/v2/"), stop.Token));
        }
        WriteCa($"127.0.0.1:{port}", ca);
        using (var with = TrustServices.CreateHttpClient([_certsD]))
        {
            using var answer = await with.GetAsync(new Uri($"https://127.0.0.1:{port}/v2/"), stop.Token);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        await stop.CancelAsync();
        await serving;
    }

    private static async Task ServeAsync(TcpListener listener, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            using (client)
            {
                try
                {
                    await using var tls = new SslStream(client.GetStream());
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
                    var buffer = new byte[4096];
                    _ = await tls.ReadAsync(buffer, cancellationToken);
                    await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"), cancellationToken);
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // The client refused the certificate: that is what some cases expect.
                }
            }
        }
    }

    private static (X509Certificate2 Ca, ECDsa Key) Authority(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)), key);
    }

    private static X509Certificate2 Leaf(X509Certificate2 ca, ECDsa caKey, string ip)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ip}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse(ip));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(key);
        // SslStream on Linux wants a certificate whose key it can export to OpenSSL: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private void WriteCa(string folderName, X509Certificate2 ca)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_certsD, folderName)).FullName;
        File.WriteAllText(Path.Combine(folder, "ca.crt"), ca.ExportCertificatePem());
    }

    public void Dispose() => Directory.Delete(_certsD, recursive: true);
}
