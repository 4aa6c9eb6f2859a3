using System.Diagnostics;
using System.Net;
using Org.BouncyCastle.Crypto.Generators;

namespace UpdateAgent.SystemTests.Trust;

/// <summary>
/// A real distribution registry on a free loopback port that demands basic authentication
/// (htpasswd) for everything, reached over plain HTTP; the guest shares the host's network, so its
/// podman reaches it too.
/// </summary>
internal sealed class HtpasswdRegistry : IDisposable
{
    private readonly Process _process;

    private HtpasswdRegistry(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Address { get; }

    /// <summary>Starts one storing under <paramref name="folder"/> that accepts only <paramref name="user"/> with <paramref name="password"/>; returns once it answers 401.</summary>
    public static async Task<HtpasswdRegistry> StartAsync(string folder, string user, string password)
    {
        var address = $"127.0.0.1:{FaultProxy.FreePort()}";
        var hash = OpenBsdBCrypt.Generate("2b", password.ToCharArray(), System.Security.Cryptography.RandomNumberGenerator.GetBytes(16), 10);
        var htpasswd = Path.Combine(folder, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"{user}:{hash}\n");
        var registry = new HtpasswdRegistry(Serve(folder, address, $"auth:\n  htpasswd:\n    realm: update-agent-tests\n    path: {htpasswd}\n"), address);
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var answer = await http.GetAsync(new Uri($"http://{address}/v2/"));
                Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
                return registry;
            }
            catch (HttpRequestException) when (attempt < 200)
            {
                await Task.Delay(25); // the registry process is still starting
            }
        }
    }

    /// <summary>
    /// Starts <c>docker-registry</c> on <paramref name="address"/>, storing under <paramref name="folder"/>;
    /// <paramref name="extraYaml"/> is appended to its configuration as it is (e.g. <c>auth:</c>, or <c>  tls:</c> under <c>http:</c>).
    /// </summary>
    public static Process Serve(string folder, string address, string extraYaml)
    {
        var storage = Directory.CreateDirectory(Path.Combine(folder, "registry")).FullName;
        var config = Path.Combine(folder, "registry.yml");
        File.WriteAllText(config, $"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {storage}\nhttp:\n  addr: {address}\n" + extraYaml);
        var process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
