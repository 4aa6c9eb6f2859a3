using UpdateAgent.Core.Ports;

namespace UpdateAgent.Adapters;

/// <summary>The HTTP probe over <see cref="HttpClient"/>.</summary>
internal sealed class HttpProbe(HttpClient http) : IHttpProbe
{
    /// <inheritdoc />
    public async Task<(bool Healthy, string Detail)> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return (code is >= 200 and < 300, $"GET {url} → {code}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"GET {url}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (false, $"GET {url}: {e.Message}");
        }
    }
}
