namespace UpdateAgent.Podman.Tests;

/// <summary>A stream that hands out at most <paramref name="chunk"/> bytes a read, to split lines and frames across reads.</summary>
internal sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
{
    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
}
