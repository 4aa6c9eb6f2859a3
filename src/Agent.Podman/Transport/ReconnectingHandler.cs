namespace UpdateAgent.Podman.Transport;

/// <summary>
/// Sends through a connection pool that can be replaced: after a refused or closed connection the
/// next attempt must not pick another connection the exited service left behind.
/// </summary>
internal sealed class ReconnectingHandler(Func<HttpMessageHandler> connect) : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly List<HttpMessageInvoker> _retired = [];
    private HttpMessageInvoker _current = new(connect(), disposeHandler: true);

    /// <summary>Starts a fresh pool for the requests that follow.</summary>
    public void Reconnect()
    {
        var fresh = new HttpMessageInvoker(connect(), disposeHandler: true);
        lock (_gate)
        {
            // Requests still running on the old pool finish there; it is disposed with this handler.
            _retired.Add(_current);
            _current = fresh;
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpMessageInvoker current;
        lock (_gate)
        {
            current = _current;
        }
        return current.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _current.Dispose();
                foreach (var retired in _retired)
                {
                    retired.Dispose();
                }
                _retired.Clear();
            }
        }
        base.Dispose(disposing);
    }
}
