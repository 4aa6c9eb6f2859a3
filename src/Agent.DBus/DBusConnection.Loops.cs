using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus;

public sealed partial class DBusConnection
{
    private const int InitialReceiveBuffer = 64 * 1024;

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var bytes in _outgoing.Reader.ReadAllAsync(_stopLoops.Token).ConfigureAwait(false))
            {
                await _transport.SendAsync(bytes, _stopLoops.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopLoops.IsCancellationRequested)
        {
            // Closing: the reason is already recorded.
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Close(new DBusConnectionClosedException($"sending to {Description} failed: {e.Message}", e));
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var message = await ReceiveMessageAsync().ConfigureAwait(false);
                if (message is null)
                {
                    Close(new DBusConnectionClosedException($"{Description} closed the connection"));
                    return;
                }
                Dispatch(message);
            }
        }
        catch (OperationCanceledException) when (_stopLoops.IsCancellationRequested)
        {
            // Closing: the reason is already recorded.
        }
        catch (DBusProtocolException e)
        {
            // Invalid data means the stream can no longer be trusted to be in step: end it.
            Close(new DBusConnectionClosedException($"{Description} sent invalid data: {e.Message}", e));
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Close(new DBusConnectionClosedException($"receiving from {Description} failed: {e.Message}", e));
        }
    }

    // Returns null when the peer closed cleanly between messages. The buffer grows with the
    // bytes that actually arrive, never to a length the peer merely announced.
    private async Task<Message?> ReceiveMessageAsync()
    {
        var header = new byte[ProtocolLimits.FixedHeaderLength];
        var got = await ReceiveIntoAsync(header, 0, header.Length).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }
        if (got < header.Length)
        {
            throw new DBusProtocolException($"connection ended inside a message header ({got} of {header.Length} bytes)");
        }
        var total = Message.GetTotalLength(header, _maxIncomingMessageLength);
        var data = new byte[Math.Min(total, InitialReceiveBuffer)];
        header.CopyTo(data, 0);
        var filled = header.Length;
        while (filled < total)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(total, (long)data.Length * 2));
            }
            var read = await ReceiveIntoAsync(data, filled, data.Length - filled).ConfigureAwait(false);
            if (read == 0)
            {
                throw new DBusProtocolException($"connection ended inside a message ({filled} of {total} bytes)");
            }
            filled += read;
        }
        return Message.Parse(data, _maxIncomingMessageLength);
    }

    private async Task<int> ReceiveIntoAsync(byte[] buffer, int offset, int count)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await _transport.ReceiveAsync(buffer.AsMemory(offset + filled, count - filled), _stopLoops.Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }

    private void Dispatch(Message message)
    {
        switch (message.Type)
        {
            case MessageType.MethodReturn or MessageType.Error:
                if (message.ReplySerial is { } serial && _pending.TryRemove(serial, out var pending))
                {
                    pending.Completion.TrySetResult(message);
                }
                break;
            case MessageType.Signal:
                DispatchSignal(message);
                break;
            case MessageType.MethodCall:
                AnswerMethodCall(message);
                break;
            default:
                break; // unknown types are an extension point: ignored
        }
    }

    private void AnswerMethodCall(Message call)
    {
        OutgoingMessage? reply;
        try
        {
            reply = MethodCallHandler is { } handler
                ? handler(call)
                : OutgoingMessage.Error(call, "org.freedesktop.DBus.Error.UnknownMethod", $"no method {call.Interface}.{call.Member} here");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reply = OutgoingMessage.Error(call, "org.freedesktop.DBus.Error.Failed", e.Message);
        }
        if (reply is not null && (call.Flags & MessageFlags.NoReplyExpected) == 0 && IsConnected)
        {
            try
            {
                Send(reply);
            }
            catch (DBusConnectionClosedException)
            {
                // The connection ended meanwhile; the caller will see it from the bus.
            }
        }
    }
}
