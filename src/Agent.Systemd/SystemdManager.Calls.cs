using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

public sealed partial class SystemdManager
{
    private static SystemdCall ManagerCall(string member) => new(SystemdNames.ManagerPath, SystemdNames.ManagerInterface, member);

    private static SystemdCall PropertiesCall(string path, string member) => new(path, "org.freedesktop.DBus.Properties", member);

    private Task<T> CallAsync<T>(SystemdCall call, string argument, MessageValueReader<T> reader, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync(call, CreateMessage(call, argument), reader, cancellationToken, timeout);

    private Task<T> CallAsync<T>(SystemdCall call, string first, string second, MessageValueReader<T> reader, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync(call, CreateMessage(call, first, second), reader, cancellationToken, timeout);

    /// <summary>
    /// Sends <paramref name="message"/> and reads its reply, bounded by <paramref name="timeout"/>
    /// (default <see cref="CallTimeout"/>) and <paramref name="cancellationToken"/>: the library's
    /// call takes no token and would wait as long as the connection lives. The library's
    /// exceptions are turned into ours here, each naming the call.
    /// </summary>
    private async Task<T> CallAsync<T>(SystemdCall call, MessageBuffer message, MessageValueReader<T> reader, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout ?? CallTimeout;
        try
        {
            return await BoundAsync(_connection.CallMethodAsync(message, reader), limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new SystemdTimeoutException($"{call}: no reply within {limit.TotalSeconds:0.###} s", e);
        }
        catch (Exception e) when (Translate(e, call.ToString()) is { } translated)
        {
            throw translated;
        }
    }

    private static Task<T> BoundAsync<T>(Task<T> task, TimeSpan limit, CancellationToken cancellationToken) =>
        task.WaitAsync(limit, cancellationToken);

    private static Task BoundAsync(Task task, TimeSpan limit, CancellationToken cancellationToken) =>
        task.WaitAsync(limit, cancellationToken);

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

    private MessageBuffer CreateMessage(SystemdCall call)
    {
        using var writer = StartCall(call, null);
        return writer.CreateMessage();
    }

    private MessageBuffer CreateMessage(SystemdCall call, string argument)
    {
        using var writer = StartCall(call, "s");
        writer.WriteString(argument);
        return writer.CreateMessage();
    }

    private MessageBuffer CreateMessage(SystemdCall call, string first, string second)
    {
        using var writer = StartCall(call, "ss");
        writer.WriteString(first);
        writer.WriteString(second);
        return writer.CreateMessage();
    }

    private MessageBuffer CreateMessage(SystemdCall call, IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        using var writer = StartCall(call, "asas");
        writer.WriteArray(first);
        writer.WriteArray(second);
        return writer.CreateMessage();
    }

    private MessageWriter StartCall(SystemdCall call, string? signature)
    {
        var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(SystemdNames.Destination, call.Path, call.Interface, call.Member, signature);
        return writer;
    }
}
