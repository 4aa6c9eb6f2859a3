using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus;

public sealed partial class DBusConnection
{
    /// <summary>
    /// Sends a method call and waits for its reply. An ERROR reply throws
    /// <see cref="DBusErrorReplyException"/>; no reply within <paramref name="timeout"/> (default
    /// <see cref="DefaultCallTimeout"/>) throws <see cref="TimeoutException"/>; a lost connection
    /// throws <see cref="DBusConnectionClosedException"/>. Each message names the call.
    /// </summary>
    public async Task<Message> CallAsync(OutgoingMessage call, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Type != MessageType.MethodCall)
        {
            throw new ArgumentException("only method calls get replies", nameof(call));
        }
        var description = $"{call.Interface}.{call.Member} on {call.Path} of {call.Destination ?? "the peer"}";
        var serial = NextSerial();
        var pending = new PendingCall(description, new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously));
        // Registered before sending, so a reply can never arrive before its caller is known.
        _pending[serial] = pending;
        try
        {
            Enqueue(call.Serialize(serial), description);
            var limit = timeout ?? DefaultCallTimeout;
            Message reply;
            try
            {
                reply = await pending.Completion.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{description}: no reply within {limit.TotalSeconds:0.###} s");
            }
            if (reply.Type == MessageType.Error)
            {
                throw new DBusErrorReplyException(reply.ErrorName ?? "", reply.FirstStringArgument(), description);
            }
            return reply;
        }
        finally
        {
            _pending.TryRemove(serial, out _);
        }
    }

    /// <summary>Sends a message that expects no reply (a signal, a reply, an error); returns its serial.</summary>
    public uint Send(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var serial = NextSerial();
        Enqueue(message.Serialize(serial), $"{message.Type} {message.Interface}.{message.Member}");
        return serial;
    }

    private void Enqueue(byte[] bytes, string description)
    {
        if (!_outgoing.Writer.TryWrite(bytes))
        {
            var reason = Closed.IsCompleted ? Closed.Result.Message : "closed";
            throw new DBusConnectionClosedException($"{description}: connection to {Description} is closed: {reason}");
        }
    }
}
