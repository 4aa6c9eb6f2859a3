using System.Net.Sockets;
using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>
/// One connection to the bus and what this process set up on it (systemd's <c>Subscribe</c>).
/// A lost connection is replaced as a whole, so nothing set up on the old one is taken for
/// granted on the new one. Closed exactly once.
/// </summary>
internal sealed class BusLink
{
    private int _subscribed;
    private int _closed;

    private BusLink(DBusConnection connection)
    {
        Connection = connection;
        UniqueName = connection.UniqueName;
        Disconnected = connection.DisconnectedAsync();
    }

    /// <summary>The library's connection.</summary>
    public DBusConnection Connection { get; }

    /// <summary>The unique name the bus gave this connection (<c>:1.42</c>).</summary>
    public string? UniqueName { get; }

    /// <summary>Completes when the connection has ended: with why, or null when this process closed it.</summary>
    public Task<Exception?> Disconnected { get; }

    /// <summary>Whether the connection has ended (the peer went away, or it was closed).</summary>
    public bool IsLost => Disconnected.IsCompleted;

    /// <summary>Whether systemd was asked, on this connection, to send job signals.</summary>
    public bool IsSubscribed => Volatile.Read(ref _subscribed) == 1;

    /// <summary>Why the connection ended, for messages; empty while it is open.</summary>
    public string LossReason => Disconnected.IsCompletedSuccessfully
        ? Disconnected.Result?.Message ?? "closed by this process"
        : "";

    /// <summary>
    /// Connects to <paramref name="address"/> within <paramref name="limit"/>.
    /// </summary>
    /// <exception cref="SystemdConnectionException">The bus cannot be reached; the message names the address.</exception>
    public static async Task<BusLink> OpenAsync(string address, TimeSpan limit, CancellationToken cancellationToken)
    {
        var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            return new BusLink(connection);
        }
        catch (Exception e) when (e is DBusExceptionBase or TimeoutException or SocketException or IOException)
        {
            connection.Dispose();
            throw new SystemdConnectionException($"cannot connect to systemd's bus at {address}: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Records that <c>Subscribe</c> succeeded on this connection.</summary>
    public void MarkSubscribed() => Volatile.Write(ref _subscribed, 1);

    /// <summary>Closes the connection; later calls do nothing. Calls still waiting on it fail.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Connection.Dispose();
        }
    }
}
