using System.Net;
using System.Net.Sockets;
using System.Text;
using UpdateAgent.Adapters;
using UpdateAgent.Podman;

namespace UpdateAgent.Tests;

/// <summary>The HTTP probe: from the host for a host-network container, from the container's network namespace otherwise.</summary>
public sealed class HttpProbeTests
{
    [Fact]
    public async Task A_host_network_container_is_probed_from_here()
    {
        using var server = new OneAnswerServer();
        using var http = new HttpClient();
        var probe = new HttpProbe(http, new InspectOnly(new ContainerState("id", "web", "running", true, "img", HealthStatus.None, 0, 0, null, "host", "")));

        var (healthy, detail) = await probe.ProbeAsync(server.Url, "web", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(healthy, detail);
        Assert.Equal($"GET {server.Url} → 200", detail);
    }

    [Fact]
    public async Task A_container_with_its_own_network_is_probed_through_a_socket_made_in_its_namespace_under_podmans_root()
    {
        // Entering a network namespace needs CAP_SYS_ADMIN: the agent runs as root, and so do these tests on CI.
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }
        using var server = new OneAnswerServer();
        using var http = new HttpClient();
        // podman reached through /proc/PID/root (our own, here): its /proc/self/ns/net is looked up there.
        var probe = new HttpProbe(http, new InspectOnly(new ContainerState("id", "init", "running", true, "img", HealthStatus.None, 0, 0, null, "none", "/proc/self/ns/net")),
            $"/proc/{Environment.ProcessId}/root/run/podman/podman.sock");

        var (healthy, detail) = await probe.ProbeAsync(server.Url, "init", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(healthy, detail);
        Assert.Equal($"GET {server.Url} in init's network → 200", detail);
    }

    [Fact]
    public async Task A_namespace_that_cannot_be_opened_fails_the_probe_naming_it()
    {
        using var http = new HttpClient();
        var probe = new HttpProbe(http, new InspectOnly(new ContainerState("id", "gone", "running", true, "img", HealthStatus.None, 0, 0, null, "bridge", "/run/netns/no-such-namespace")));

        var (healthy, detail) = await probe.ProbeAsync(new Uri("http://127.0.0.1:9/health"), "gone", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.False(healthy);
        Assert.Contains("in gone's network", detail, StringComparison.Ordinal);
        Assert.Contains("/run/netns/no-such-namespace", detail, StringComparison.Ordinal);
    }

    /// <summary>Answers the first request with 200 on a loopback port.</summary>
    private sealed class OneAnswerServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public OneAnswerServer()
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/health");
            _ = AnswerAsync();
        }

        public Uri Url { get; }

        private async Task AnswerAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var seen = "";
            while (!seen.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }
                seen += Encoding.ASCII.GetString(buffer, 0, read);
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        }

        public void Dispose() => _listener.Stop();
    }

    /// <summary>A podman client that can only inspect one container.</summary>
    private sealed class InspectOnly(ContainerState state) : IPodmanClient
    {
        public Task<ContainerState> InspectContainerAsync(string container, CancellationToken cancellationToken) => Task.FromResult(state);
        public Task<DiscoveryResult> DiscoverUnitsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<PulledImage> PullByDigestAsync(string digestReference, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task TagImageAsync(string image, string targetTag, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task UntagImageAsync(string image, string targetTag, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> RemoveImageAsync(string imageId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<LocalTag?> ReadLocalTagAsync(string tag, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<HealthCheckRun> RunHealthCheckAsync(string container, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ExecResult> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
