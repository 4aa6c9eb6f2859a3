using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>
/// A real distribution registry served over TLS with a certificate from a private CA: with the CA in
/// the registry's certs.d folder the agent reads and verifies its images; without it the handshake
/// fails and verify cannot decide (exit 3), never falling back to plain HTTP or an unchecked certificate.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class PrivateCaRegistryTests(TestbedFixture testbed, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TrustWorkspace _work = new(testbed);
    private Process? _registry;
    private string _address = string.Empty;
    private string _certsD = string.Empty;

    public async Task InitializeAsync()
    {
        _address = $"127.0.0.1:{FaultProxy.FreePort()}";
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=update-agent test private CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [7, 7, 7, 7]);
        var certificate = Path.Combine(_work.Folder, "server.crt");
        var key = Path.Combine(_work.Folder, "server.key");
        await File.WriteAllTextAsync(certificate, server.ExportCertificatePem());
        await File.WriteAllTextAsync(key, serverKey.ExportPkcs8PrivateKeyPem());
        _certsD = Path.Combine(_work.Folder, "certs.d");
        var folder = Directory.CreateDirectory(Path.Combine(_certsD, _address)).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.crt"), ca.ExportCertificatePem());

        _registry = HtpasswdRegistry.Serve(_work.Folder, _address, $"  tls:\n    certificate: {certificate}\n    key: {key}\n");
        using var http = UpdateAgent.Trust.TrustServices.CreateHttpClient([_certsD]);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var answer = await http.GetAsync(new Uri($"https://{_address}/v2/"));
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                return;
            }
            catch (HttpRequestException) when (attempt < 200)
            {
                await Task.Delay(25); // the registry process is still starting
            }
        }
    }

    [Fact]
    public async Task A_registry_whose_private_ca_is_in_certs_d_is_read_and_without_it_verify_cannot_decide()
    {
        var source = _work.NewRepository("private-ca");
        var digest = await _work.PushImageAsync(source);
        var target = $"{_address}/trust/private-ca";
        var open = new RegistryClientOptions();
        open.InsecureRegistries.Add(testbed.Registry);
        var tls = new RegistryClientOptions();
        using var http = UpdateAgent.Trust.TrustServices.CreateHttpClient([_certsD]);
        await TrustWorkspace.CopyAsync(new RegistryClient(http, open), source, new RegistryClient(http, tls), target, digest, "latest");
        // cosign's --allow-insecure-registry accepts the certificate it cannot check; the agent must not.
        await _work.CosignSignAsync(await _work.CosignKeyPairAsync("ci"), $"{target}@{digest}");

        var trusted = Policy("with-ca", target, _certsD);
        var (exit, stdout, stderr) = await TrustWorkspace.AgentAsync("verify", $"{target}:latest", "--config", trusted);
        output.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);

        var untrusted = Policy("without-ca", target, Directory.CreateDirectory(Path.Combine(_work.Folder, "empty-certs.d")).FullName);
        (exit, stdout, stderr) = await TrustWorkspace.AgentAsync("verify", $"{target}:latest", "--config", untrusted);
        output.WriteLine(stdout + stderr);
        Assert.Equal(3, exit);
        Assert.Contains("registry-error", stdout, StringComparison.Ordinal);
    }

    private string Policy(string name, string target, string certsD)
    {
        var policy = _work.WritePolicy(name, $"[authorities.ci]\nkey = \"ci.pub\"\n[[image]]\nrepository = \"{target}\"\nsigned_by = [\"ci\"]\n");
        File.WriteAllText(policy, File.ReadAllText(policy).Replace("[registries]\n", $"[registries]\ncerts_dirs = [\"{certsD}\"]\n", StringComparison.Ordinal));
        return policy;
    }

    public Task DisposeAsync()
    {
        if (_registry is { HasExited: false })
        {
            _registry.Kill();
            _registry.WaitForExit();
        }
        _registry?.Dispose();
        _work.Dispose();
        return Task.CompletedTask;
    }
}
