using Microsoft.Extensions.Logging;

namespace UpdateAgent.Trust.Registry;

// Sources: the mirrors and location registries.conf gives an image, tried in order.
public sealed partial class RegistryClient
{
    /// <summary>
    /// Runs <paramref name="read"/> against each place <see cref="RegistryClientOptions.Sources"/> gives
    /// <paramref name="image"/>, in order, as podman does: a place that fails or does not have what was
    /// asked (<paramref name="found"/> false) passes to the next; the last place's answer is the answer,
    /// and its failure names what the earlier places said. An exhausted budget stops at once.
    /// </summary>
    private async Task<T> FromSourcesAsync<T>(ImageReference image, bool byDigest,
        Func<ImageReference, CancellationToken, Task<T>> read, Func<T, bool> found, CancellationToken cancellationToken)
    {
        var locations = _options.Sources.Locations(image, byDigest);
        if (locations.Count == 1)
        {
            return await read(locations[0], cancellationToken).ConfigureAwait(false);
        }
        var passed = new List<string>();
        for (var i = 0; ; i++)
        {
            var location = locations[i];
            var last = i == locations.Count - 1;
            try
            {
                var result = await read(location, cancellationToken).ConfigureAwait(false);
                if (last || found(result))
                {
                    return result;
                }
                passed.Add($"{location.Registry}: not there");
            }
            catch (RegistryException ex) when (!last && ex.Failure != RegistryFailure.BudgetExceeded)
            {
                LogMirrorFailed(_logger, location.Name, ex.Message);
                passed.Add($"{location.Registry}: {ex.Message}");
            }
            catch (RegistryException ex) when (last && passed.Count > 0 && ex.Failure != RegistryFailure.BudgetExceeded)
            {
                throw new RegistryException(ex.Failure, $"{ex.Message} (read from {location.Registry}, after the mirrors of registries.conf: {string.Join("; ", passed)})", ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "registry: {Location} failed, trying the next place registries.conf gives: {Reason}")]
    private static partial void LogMirrorFailed(ILogger logger, string location, string reason);
}
