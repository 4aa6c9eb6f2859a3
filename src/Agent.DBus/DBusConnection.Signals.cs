using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus;

public sealed partial class DBusConnection
{
    private readonly List<Subscription> _subscriptions = [];

    /// <summary>
    /// Subscribes <paramref name="handler"/> to the signals <paramref name="rule"/> selects. The local
    /// subscription exists before the bus is asked (<c>AddMatch</c>), so no matching signal that
    /// arrives after this returns is missed. Handlers run on the reader loop: keep them short.
    /// Dispose the result to unsubscribe.
    /// </summary>
    public async Task<IAsyncDisposable> SubscribeAsync(MatchRule rule, Action<Message> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(handler);
        string? senderOwner = null;
        if (UniqueName is not null && rule.Sender is { } sender && !sender.StartsWith(':') && sender != BusCalls.BusName)
        {
            // Signals carry the sender's unique name, so a well-known sender is resolved once here.
            senderOwner = await GetNameOwnerAsync(sender, cancellationToken).ConfigureAwait(false);
        }
        var subscription = new Subscription(this, rule, senderOwner, handler);
        lock (_subscriptions)
        {
            _subscriptions.Add(subscription);
        }
        if (UniqueName is not null)
        {
            try
            {
                await CallAsync(BusCalls.AddMatch(rule.ToString()), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                subscription.RemoveLocally();
                throw;
            }
        }
        return subscription;
    }

    /// <summary>Asks the bus which unique name owns <paramref name="name"/>.</summary>
    public async Task<string> GetNameOwnerAsync(string name, CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync(BusCalls.GetNameOwner(name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.GetBodyReader().ReadString();
    }

    private void DispatchSignal(Message signal)
    {
        Subscription[] matching;
        lock (_subscriptions)
        {
            matching = _subscriptions.Where(s => s.Rule.Matches(signal, s.SenderOwner)).ToArray();
        }
        foreach (var subscription in matching)
        {
            try
            {
                subscription.Handler(signal);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One faulty handler must not stop the reader loop for every other caller.
            }
        }
    }

    private sealed class Subscription(DBusConnection connection, MatchRule rule, string? senderOwner, Action<Message> handler) : IAsyncDisposable
    {
        public MatchRule Rule { get; } = rule;

        public string? SenderOwner { get; } = senderOwner;

        public Action<Message> Handler { get; } = handler;

        public void RemoveLocally()
        {
            lock (connection._subscriptions)
            {
                connection._subscriptions.Remove(this);
            }
        }

        public async ValueTask DisposeAsync()
        {
            RemoveLocally();
            if (connection.UniqueName is null || !connection.IsConnected)
            {
                return;
            }
            try
            {
                await connection.CallAsync(BusCalls.RemoveMatch(Rule.ToString())).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DBusConnectionClosedException or DBusErrorReplyException or TimeoutException)
            {
                // The rule dies with the connection anyway; nothing to undo.
            }
        }
    }
}
