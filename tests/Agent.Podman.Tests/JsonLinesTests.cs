using System.Text;
using UpdateAgent.Podman.Streams;

namespace UpdateAgent.Podman.Tests;

public sealed class JsonLinesTests
{
    private static async Task<List<string>> LinesAsync(string body, int chunk, int maxLine = 64)
    {
        var lines = new List<string>();
        await foreach (var line in JsonLines.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(body), chunk), maxLine, CancellationToken.None))
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }
        return lines;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(1000)]
    public async Task Lines_split_across_reads_come_out_whole_and_blank_lines_are_skipped(int chunk)
    {
        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"], await LinesAsync("{\"a\":1}\n\r\n{\"b\":2}\r\n\n{\"c\":3}", chunk));
    }

    [Fact]
    public async Task A_line_exactly_at_the_limit_is_accepted_and_one_byte_more_is_not()
    {
        var atLimit = new string('x', 64);
        Assert.Equal([atLimit, "y"], await LinesAsync(atLimit + "\ny\n", chunk: 10));

        await Assert.ThrowsAsync<ResponseTooLargeException>(() => LinesAsync(atLimit + "x\n", chunk: 10));
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => LinesAsync(atLimit + "x", chunk: 100));
    }
}
