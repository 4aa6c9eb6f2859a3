namespace UpdateAgent.Core.Ports;

/// <summary>One HTTP health probe: a port so the health gate is tested without a network. Production: the executable's probe over <see cref="HttpClient"/>.</summary>
public interface IHttpProbe
{
    /// <summary>
    /// GETs <paramref name="url"/> from the network of <paramref name="container"/> (its own
    /// namespace, or the host's when it runs on the host's network); healthy when it answers 2xx
    /// within <paramref name="timeout"/>. Never throws for network errors.
    /// </summary>
    Task<(bool Healthy, string Detail)> ProbeAsync(Uri url, string? container, TimeSpan timeout, CancellationToken cancellationToken);
}
