using UpdateAgent.Core.Ports;
using UpdateAgent.Trust.Registry;

namespace UpdateAgent.Adapters;

/// <summary>
/// The registry client as the engine's <see cref="ITagResolver"/>: every way a lookup fails
/// (the registry's answer, the network, a request that timed out) becomes a <see cref="RegistryLookupException"/>.
/// </summary>
/// <param name="registry">The registry client the verifier shares, so the request count is the pass's.</param>
internal sealed class RegistryTagResolver(IRegistryClient registry) : ITagResolver
{
    /// <inheritdoc />
    public long RequestCount => registry.RequestCount;

    /// <inheritdoc />
    public async Task<string> ResolveDigestAsync(ImageReference image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        try
        {
            return await registry.ResolveDigestAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Failure == RegistryFailure.Blocked)
        {
            throw new RegistryLookupException(e.Message, e) { IsPermanent = true };
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new RegistryLookupException(e.Message, e);
        }
    }
}
