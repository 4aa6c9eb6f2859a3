using System.Net.Http.Headers;

namespace UpdateAgent.Trust.Registry;

/// <summary>Reads HTTP bodies without ever holding more than a limit: a registry cannot make the agent allocate at will.</summary>
internal static class BoundedBody
{
    /// <summary>Reads the body of <paramref name="response"/>, failing if it exceeds <paramref name="maxBytes"/> or ends early.</summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, long maxBytes, string what, CancellationToken cancellationToken)
    {
        var announced = response.Content.Headers.ContentLength;
        if (announced > maxBytes)
        {
            throw new RegistryException(RegistryFailure.TooLarge, $"{what}: the registry announced {announced} bytes, more than the limit of {maxBytes}");
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var capacity = (int)Math.Min(announced ?? 16 * 1024, maxBytes + 1);
            using var buffer = new MemoryStream(capacity);
            var chunk = new byte[16 * 1024];
            while (true)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw new RegistryException(RegistryFailure.Truncated, $"{what}: the body ended after {buffer.Length} bytes ({ex.Message})", ex);
                }
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
