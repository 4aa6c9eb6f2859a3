using System.Text;
using UpdateAgent.Podman.Libpod;
using UpdateAgent.Podman.Streams;

namespace UpdateAgent.Podman.Tests;

public sealed class PullStreamTests
{
    private const string Reference = "registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Task<string> ReadAsync(string body, int chunk = 3, int maxLine = 1024) =>
        PullStream.ReadImageIdAsync(new TrickleStream(Encoding.UTF8.GetBytes(body), chunk), Reference, maxLine, CancellationToken.None);

    [Fact]
    public async Task A_stream_ending_with_the_image_gives_its_id_with_the_sha256_prefix()
    {
        var id = await ReadAsync("""
            {"stream":"Trying to pull registry.example/app...\n"}
            {"stream":"Copying blob 1234\n"}

            {"images":["bbb4"],"id":"bbb4"}
            """);

        Assert.Equal("sha256:bbb4", id);
    }

    [Fact]
    public async Task An_error_in_the_stream_fails_the_pull_with_its_text_even_after_progress()
    {
        var failure = await Assert.ThrowsAsync<PodmanException>(() => ReadAsync("""
            {"stream":"Trying to pull...\n"}
            {"error":"reading manifest: manifest unknown"}
            """));

        Assert.Equal(Reference, failure.Subject);
        Assert.Contains("manifest unknown", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Reference, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_wins_over_an_image_id_seen_before_it()
    {
        await Assert.ThrowsAsync<PodmanException>(() => ReadAsync("{\"id\":\"abc\"}\n{\"error\":\"late failure\"}"));
    }

    [Fact]
    public async Task A_stream_that_ends_without_an_image_is_a_failure()
    {
        var failure = await Assert.ThrowsAsync<PodmanException>(() => ReadAsync("{\"stream\":\"Trying to pull...\\n\"}\n"));

        Assert.Contains("without naming the pulled image", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_line_is_named_by_its_number()
    {
        var failure = await Assert.ThrowsAsync<PodmanException>(() => ReadAsync("{\"stream\":\"ok\"}\n{not json\n"));

        Assert.Contains("line 2", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_is_refused()
    {
        var huge = "{\"stream\":\"" + new string('x', 5000) + "\"}\n";

        var failure = await Assert.ThrowsAsync<ResponseTooLargeException>(() => ReadAsync(huge, chunk: 700, maxLine: 1024));

        Assert.Contains("1024", failure.Message, StringComparison.Ordinal);
    }
}
