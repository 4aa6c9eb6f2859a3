using System.Buffers.Binary;
using System.Text;
using UpdateAgent.Podman.Streams;

namespace UpdateAgent.Podman.Tests;

public sealed class ExecOutputTests
{
    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    [Fact]
    public async Task Stdout_and_stderr_frames_are_joined_in_order()
    {
        byte[] body = [.. Frame(1, "out\n"), .. Frame(2, "err\n"), .. Frame(1, "more")];

        var (text, truncated) = await ExecOutput.ReadAsync(new TrickleStream(body, 3), 1024, CancellationToken.None);

        Assert.Equal("out\nerr\nmore", text);
        Assert.False(truncated);
    }

    [Fact]
    public async Task Output_past_the_limit_is_cut_but_read_to_the_end()
    {
        byte[] body = [.. Frame(1, "0123456789"), .. Frame(2, "abcdef")];
        var stream = new TrickleStream(body, 4);

        var (text, truncated) = await ExecOutput.ReadAsync(stream, 12, CancellationToken.None);

        Assert.Equal("0123456789ab", text);
        Assert.True(truncated);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public async Task An_empty_body_is_no_output()
    {
        var (text, truncated) = await ExecOutput.ReadAsync(new MemoryStream(), 10, CancellationToken.None);

        Assert.Equal("", text);
        Assert.False(truncated);
    }

    [Fact]
    public async Task A_body_that_is_not_multiplexed_or_is_cut_short_is_refused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => ExecOutput.ReadAsync(new MemoryStream("plain text here"u8.ToArray()), 100, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidDataException>(() => ExecOutput.ReadAsync(new MemoryStream(Frame(1, "hello")[..10]), 100, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidDataException>(() => ExecOutput.ReadAsync(new MemoryStream([1, 0, 0]), 100, CancellationToken.None));
    }
}
