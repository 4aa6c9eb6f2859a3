namespace UpdateAgent.Systemd;

public sealed partial class SystemdManager
{
    // Only one caller opens a new connection at a time; the others wait and take it.
    private readonly SemaphoreSlim _reconnecting = new(1, 1);
    private BusLink _link;
    private int _disposed;

    /// <summary>
    /// Runs <paramref name="attempt"/> — a request that is safe to make twice — on the current
    /// connection; if that connection ends under it, once more on a new one. Anything else
    /// (an error reply, a timeout) is not repeated.
    /// </summary>
    private async Task<T> RepeatableAsync<T>(object what, Func<BusLink, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var link = await LinkAsync(what, cancellationToken).ConfigureAwait(false);
        try
        {
            return await attempt(link).ConfigureAwait(false);
        }
        catch (SystemdConnectionException)
        {
            var fresh = await ReplaceAsync(link, what, cancellationToken).ConfigureAwait(false);
            return await attempt(fresh).ConfigureAwait(false);
        }
    }

    /// <summary>The connection to use now: the current one, or a new one when it was lost (the bus restarted).</summary>
    private async ValueTask<BusLink> LinkAsync(object what, CancellationToken cancellationToken)
    {
        ThrowIfDisposed(what);
        var link = Volatile.Read(ref _link);
        return link.IsLost ? await ReplaceAsync(link, what, cancellationToken).ConfigureAwait(false) : link;
    }

    /// <summary>
    /// A new connection in place of <paramref name="failed"/> (which a call found lost), unless
    /// another caller has already put an open one in its place. The old one is closed here.
    /// </summary>
    private async Task<BusLink> ReplaceAsync(BusLink failed, object what, CancellationToken cancellationToken)
    {
        await _reconnecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed(what);
            var current = Volatile.Read(ref _link);
            if (current != failed && !current.IsLost)
            {
                return current;
            }
            // A call can fail on a connection before the library has marked it ended.
            var reason = current.IsLost ? current.LossReason : "a call found it closed";
            BusLink fresh;
            try
            {
                fresh = await BusLink.OpenAsync(Address, CallTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (SystemdConnectionException e)
            {
                throw new SystemdConnectionException($"{what}: connection to {Address} lost ({reason}), and no new one: {e.Message}", e);
            }
            Interlocked.Exchange(ref _link, fresh);
            current.Close();
            if (Volatile.Read(ref _disposed) == 1)
            {
                fresh.Close(); // disposed while this one was opening: DisposeAsync may have closed only the old one
                ThrowIfDisposed(what);
            }
            Reconnected?.Invoke(reason);
            return fresh;
        }
        finally
        {
            _reconnecting.Release();
        }
    }

    private void ThrowIfDisposed(object what)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new SystemdConnectionException($"{what}: connection to {Address} closed: the manager was disposed");
        }
    }
}
