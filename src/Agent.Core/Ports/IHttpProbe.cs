namespace UpdateAgent.Core.Ports;

/// <summary>One HTTP health probe: a port so the health gate is tested without a network. Production: the executable's probe over <see cref="HttpClient"/>.</summary>
public interface IHttpProbe
{
    /// <summary>GETs <paramref name="url"/>; healthy when it answers 2xx within <paramref name="timeout"/>. Never throws for network errors.</summary>
    Task<(bool Healthy, string Detail)> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken);
}
