using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

public sealed partial class SystemdManager
{
    private static SystemdCall ManagerCall(string member) => new(SystemdNames.ManagerPath, SystemdNames.ManagerInterface, member);

    private static SystemdCall PropertiesCall(string path, string member) => new(path, "org.freedesktop.DBus.Properties", member);

    private Task<T> CallAsync<T>(SystemdCall call, string argument, MessageValueReader<T> reader, CancellationToken cancellationToken) =>
        CallAsync(call, connection => CreateMessage(connection, call, argument), reader, cancellationToken);

    private Task<T> CallAsync<T>(SystemdCall call, string first, string second, MessageValueReader<T> reader, CancellationToken cancellationToken) =>
        CallAsync(call, connection => CreateMessage(connection, call, first, second), reader, cancellationToken);

    /// <summary>
    /// A call that asks and changes nothing: on the current connection, and if that connection
    /// ends under it, once more on a new one.
    /// </summary>
    private Task<T> CallAsync<T>(SystemdCall call, Func<DBusConnection, MessageBuffer> message, MessageValueReader<T> reader, CancellationToken cancellationToken) =>
        RepeatableAsync(call, link => SendAsync(link, call, message, reader, cancellationToken), cancellationToken);

    /// <summary>
    /// Sends the message <paramref name="message"/> writes on <paramref name="link"/> and reads its
    /// reply, bounded by <paramref name="timeout"/> (default <see cref="CallTimeout"/>) and
    /// <paramref name="cancellationToken"/>. Never repeated: a job method goes through here alone.
    /// </summary>
    private Task<T> SendAsync<T>(BusLink link, SystemdCall call, Func<DBusConnection, MessageBuffer> message, MessageValueReader<T> reader,
        CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        BoundAsync(Started(() => link.Connection.CallMethodAsync(message(link.Connection), reader)), call, timeout ?? CallTimeout, cancellationToken);

    /// <summary>
    /// Waits for one request to the bus, at most <paramref name="limit"/>: the library's calls take
    /// no token and would wait as long as the connection lives. The library's exceptions become
    /// ours here, each naming <paramref name="what"/> (formatted only on failure).
    /// </summary>
    private async Task<T> BoundAsync<T>(Task<T> request, object what, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            return await request.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new SystemdTimeoutException($"{what}: no reply within {limit.TotalSeconds:0.###} s", e);
        }
        catch (Exception e) when (Translate(e, what.ToString() ?? "") is { } translated)
        {
            throw translated;
        }
    }

    // A request on a closed connection may throw before it returns its task; BoundAsync translates either way.
    private static Task<T> Started<T>(Func<Task<T>> request)
    {
        try
        {
            return request();
        }
        catch (Exception e) when (e is ObjectDisposedException or DBusExceptionBase)
        {
            return Task.FromException<T>(e);
        }
    }

    /// <summary>Our exception for one of the library's, or null for anything else.</summary>
    private SystemdException? Translate(Exception e, string what) => e switch
    {
        DBusErrorReplyException reply => new SystemdErrorReplyException(reply.ErrorName, reply.ErrorMessage, what),
        DBusConnectionException or ObjectDisposedException =>
            new SystemdConnectionException($"{what}: connection to {Address} lost: {Reason(e)}", e),
        DBusExceptionBase => new SystemdException($"{what}: unexpected reply: {e.Message}", e),
        _ => null,
    };

    // The library wraps the first reason the connection closed; that one says what happened.
    private static string Reason(Exception e) =>
        e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;

    private static MessageBuffer CreateMessage(DBusConnection connection, SystemdCall call)
    {
        using var writer = StartCall(connection, call, null);
        return writer.CreateMessage();
    }

    private static MessageBuffer CreateMessage(DBusConnection connection, SystemdCall call, string argument)
    {
        using var writer = StartCall(connection, call, "s");
        writer.WriteString(argument);
        return writer.CreateMessage();
    }

    private static MessageBuffer CreateMessage(DBusConnection connection, SystemdCall call, string first, string second)
    {
        using var writer = StartCall(connection, call, "ss");
        writer.WriteString(first);
        writer.WriteString(second);
        return writer.CreateMessage();
    }

    private static MessageBuffer CreateMessage(DBusConnection connection, SystemdCall call, IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        using var writer = StartCall(connection, call, "asas");
        writer.WriteArray(first);
        writer.WriteArray(second);
        return writer.CreateMessage();
    }

    private static MessageWriter StartCall(DBusConnection connection, SystemdCall call, string? signature)
    {
        var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(SystemdNames.Destination, call.Path, call.Interface, call.Member, signature);
        return writer;
    }
}
