using System.Net.Http.Headers;

namespace UpdateAgent.Trust.Registry;

/// <summary>Reads HTTP bodies without ever holding more than a limit: a registry cannot make the agent allocate at will.</summary>
internal static class BoundedBody
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// Reads the body of <paramref name="response"/>, failing if it exceeds <paramref name="maxBytes"/> or ends early;
    /// every chunk is charged to <paramref name="budget"/> before it is kept.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, long maxBytes, string what, RegistryBudget? budget, CancellationToken cancellationToken)
    {
        if (maxBytes < 0)
        {
            throw new RegistryException(RegistryFailure.Malformed, $"{what}: a limit of {maxBytes} bytes is not a size");
        }
        var announced = response.Content.Headers.ContentLength;
        if (announced > maxBytes)
        {
            throw new RegistryException(RegistryFailure.TooLarge, $"{what}: the registry announced {announced} bytes, more than the limit of {maxBytes}");
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // Grown as bytes arrive: an announced length is a claim, not a reason to allocate up front.
            var capacity = (int)Math.Min(Math.Min(announced ?? ChunkBytes, maxBytes + 1), 4 * ChunkBytes);
            using var buffer = new MemoryStream(capacity);
            var chunk = new byte[ChunkBytes];
            while (true)
            {
                // The bytes a read may bring are charged before it happens, and what did not come is
                // given back: nothing beyond the budget is ever taken off the wire.
                var wanted = (int)Math.Clamp((announced ?? maxBytes + 1) - buffer.Length, 1, ChunkBytes);
                budget?.ChargeBytes(wanted, what);
                int read;
                try
                {
                    read = await stream.ReadAsync(chunk.AsMemory(0, wanted), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    budget?.Refund(wanted);
                    throw new RegistryException(RegistryFailure.Truncated, $"{what}: the body ended after {buffer.Length} bytes ({ex.Message})", ex);
                }
                catch
                {
                    budget?.Refund(wanted);
                    throw;
                }
                budget?.Refund(wanted - read);
                if (read == 0)
                {
                    break;
                }
                if (buffer.Length + read > maxBytes)
                {
                    throw new RegistryException(RegistryFailure.TooLarge, $"{what}: the body is larger than the limit of {maxBytes} bytes");
                }
                buffer.Write(chunk, 0, read);
            }
            if (announced is { } length && buffer.Length != length)
            {
                throw new RegistryException(RegistryFailure.Truncated, $"{what}: received {buffer.Length} of the {length} bytes announced");
            }
            return buffer.ToArray();
        }
    }

    /// <summary>The media type of a response without parameters, or null.</summary>
    public static string? MediaType(HttpContentHeaders headers) => headers.ContentType?.MediaType;
}
