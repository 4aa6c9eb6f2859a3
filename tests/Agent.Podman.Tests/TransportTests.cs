using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace UpdateAgent.Podman.Tests;

public sealed class TransportTests
{
    private const string Inspect = "/containers/web/json";

    [Fact]
    public async Task A_refused_connection_is_retried_once_on_a_fresh_connection()
    {
        var healthy = new FakePodman().On(HttpMethod.Get, Inspect, HttpStatusCode.OK, PodmanJson.Container("web"));
        var refusing = new FakePodman().On(HttpMethod.Get, Inspect,
            (_, _) => throw new HttpRequestException("connection refused", new SocketException((int)SocketError.ConnectionRefused)));
        var pools = new Queue<HttpMessageHandler>([refusing, healthy]);
        using var client = healthy.Client(connections: pools.Dequeue);

        var state = await client.InspectContainerAsync("web", CancellationToken.None);

        Assert.Equal("web", state.Name);
        Assert.Empty(pools);
    }

    [Fact]
    public async Task A_body_cut_short_is_retried_too()
    {
        var cut = new FakePodman().On(HttpMethod.Post, "/libpod/images/pull", (_, _) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new FailingStream()) }));
        var healthy = new FakePodman().On(HttpMethod.Post, "/libpod/images/pull", HttpStatusCode.OK, "{\"id\":\"abc\"}");
        var pools = new Queue<HttpMessageHandler>([cut, healthy]);
        using var client = healthy.Client(connections: pools.Dequeue);

        var pulled = await client.PullByDigestAsync($"reg.example/app@sha256:{new string('c', 64)}", CancellationToken.None);

        Assert.Equal("sha256:abc", pulled.ImageId);
    }

    [Fact]
    public async Task A_second_connection_failure_is_an_error_naming_the_subject_and_socket()
    {
        var refusing = new FakePodman().On(HttpMethod.Get, Inspect, (_, _) => throw new HttpRequestException("connection refused"));
        using var client = refusing.Client(new PodmanClientOptions { SocketPath = "/run/test/podman.sock" });

        var failure = await Assert.ThrowsAsync<PodmanException>(() => client.InspectContainerAsync("web", CancellationToken.None));

        Assert.Equal("web", failure.Subject);
        Assert.Contains("'web'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("/run/test/podman.sock", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, refusing.Requests.Count);
    }

    [Fact]
    public async Task An_answer_from_podman_is_not_retried()
    {
        var podman = new FakePodman().On(HttpMethod.Get, Inspect, HttpStatusCode.InternalServerError, "{\"message\":\"database is locked\"}");
        using var client = podman.Client();

        var failure = await Assert.ThrowsAsync<PodmanException>(() => client.InspectContainerAsync("web", CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, failure.StatusCode);
        Assert.Contains("database is locked", failure.Message, StringComparison.Ordinal);
        Assert.Single(podman.Requests);
    }

    [Fact]
    public async Task A_call_that_podman_never_answers_fails_at_its_deadline()
    {
        var time = new FakeTimeProvider();
        var podman = new FakePodman().On(HttpMethod.Get, Inspect, async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        using var client = podman.Client(new PodmanClientOptions { SocketPath = "/fake.sock", RequestTimeout = TimeSpan.FromSeconds(30) }, time);

        var call = client.InspectContainerAsync("web", CancellationToken.None);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));

        var failure = await Assert.ThrowsAsync<PodmanException>(() => call);
        Assert.Contains("within 30 s", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        var podman = new FakePodman().On(HttpMethod.Get, Inspect, async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        using var client = podman.Client();
        using var cancel = new CancellationTokenSource();

        var call = client.InspectContainerAsync("web", cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_a_clear_error()
    {
        var huge = "[" + string.Join(",", Enumerable.Repeat(PodmanJson.Listed("x", "x.service"), 200)) + "]";
        var podman = new FakePodman().On(HttpMethod.Get, "/libpod/containers/json", HttpStatusCode.OK, huge);
        using var client = podman.Client(new PodmanClientOptions { SocketPath = "/fake.sock", MaxResponseBytes = 4096 });

        var failure = await Assert.ThrowsAsync<PodmanException>(() => client.DiscoverUnitsAsync(CancellationToken.None));

        Assert.Contains("limit of 4096 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_without_a_length_is_cut_at_the_limit_while_reading()
    {
        var huge = "[" + string.Join(",", Enumerable.Repeat(PodmanJson.Listed("x", "x.service"), 200)) + "]";
        var podman = new FakePodman().On(HttpMethod.Get, "/libpod/containers/json", (_, _) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new TrickleStream(System.Text.Encoding.UTF8.GetBytes(huge), 512)) }));
        using var client = podman.Client(new PodmanClientOptions { SocketPath = "/fake.sock", MaxResponseBytes = 4096 });

        var failure = await Assert.ThrowsAsync<PodmanException>(() => client.DiscoverUnitsAsync(CancellationToken.None));

        Assert.Contains("limit of 4096 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_body_is_a_clear_error_naming_the_subject()
    {
        var podman = new FakePodman().On(HttpMethod.Get, Inspect, HttpStatusCode.OK, "{\"Id\": [unclosed");
        using var client = podman.Client();

        var failure = await Assert.ThrowsAsync<PodmanException>(() => client.InspectContainerAsync("web", CancellationToken.None));

        Assert.Contains("'web'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("not the JSON expected", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, PodmanClientOptions.DefaultSocketPath)]
    [InlineData("", PodmanClientOptions.DefaultSocketPath)]
    [InlineData("unix:///run/user/1000/podman/podman.sock", "/run/user/1000/podman/podman.sock")]
    public void Container_host_names_the_socket(string? containerHost, string expected)
    {
        var options = containerHost is null ? new PodmanClientOptions() : PodmanClientOptions.FromEnvironment(containerHost);

        Assert.Equal(expected, options.SocketPath);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:8080")]
    [InlineData("ssh://core@host/run/podman/podman.sock")]
    [InlineData("unix://relative.sock")]
    [InlineData("unix://")]
    public void Container_host_other_than_a_local_socket_is_refused(string containerHost)
    {
        var failure = Assert.Throws<ArgumentException>(() => PodmanClientOptions.FromEnvironment(containerHost));

        Assert.Contains(containerHost, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A body whose connection drops after the headers.</summary>
    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("connection reset by peer");

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("connection reset by peer");
    }
}
