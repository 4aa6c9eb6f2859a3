using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>
/// systemd's service manager over D-Bus, typed: look units up, read their state, list them, and
/// run start/stop/restart jobs to their end. A job is followed the way go-systemd and podman do
/// it: the <c>JobRemoved</c> subscription exists before the job is queued, and the result of
/// exactly that job is returned; only <c>done</c> is success. It owns its bus connection: one that
/// is lost (dbus-daemon restarted) is noticed and a new one opened for the next call, with the
/// subscription made again on it; every connection is closed exactly once, the last on dispose.
/// Every failure is a <see cref="SystemdException"/>; the D-Bus library's own exceptions never
/// leave this type.
/// </summary>
public sealed partial class SystemdManager : IAsyncDisposable
{
    /// <summary>What a job may take when the caller names no limit.</summary>
    public static readonly TimeSpan DefaultJobTimeout = TimeSpan.FromMinutes(2);

    /// <summary>What a call waits for its reply unless <see cref="CallTimeout"/> says otherwise (sd-bus uses the same).</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(25);

    private SystemdManager(BusLink link, string address)
    {
        _link = link;
        Address = address;
    }

    /// <summary>The bus address this manager connects to.</summary>
    public string Address { get; }

    /// <summary>The unique name the bus gave the current connection (<c>:1.42</c>); a new connection gets a new one.</summary>
    public string? UniqueName => Volatile.Read(ref _link).UniqueName;

    /// <summary>What one call waits for its reply, and a new connection for the bus; the library itself would wait forever.</summary>
    public TimeSpan CallTimeout { get; set; } = DefaultCallTimeout;

    /// <summary>
    /// Told, with why the old connection ended, each time a lost connection was replaced by a new
    /// one; runs on the calling thread and must not throw. For the journal.
    /// </summary>
    public Action<string>? Reconnected { get; set; }

    /// <summary>Connects to the bus at <paramref name="address"/> (see <see cref="SystemBus.Address"/>).</summary>
    /// <exception cref="SystemdConnectionException">The bus cannot be reached; the message names the address.</exception>
    public static async Task<SystemdManager> ConnectAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return new SystemdManager(await BusLink.OpenAsync(address, DefaultCallTimeout, cancellationToken).ConfigureAwait(false), address);
    }

    /// <summary>
    /// Asks systemd for an empty answer (<c>org.freedesktop.DBus.Peer.Ping</c>): whether it can be
    /// reached now, through the bus. Opens a new connection if the last one was lost, as every call does.
    /// </summary>
    /// <exception cref="SystemdException">systemd cannot be reached: no bus, not on the bus, or no answer in time.</exception>
    public Task PingAsync(CancellationToken cancellationToken = default)
    {
        var call = new SystemdCall(SystemdNames.ManagerPath, "org.freedesktop.DBus.Peer", "Ping");
        return CallAsync(call, connection => CreateMessage(connection, call), SystemdReplies.Nothing, cancellationToken);
    }

    /// <summary>The object path of a loaded unit; throws <see cref="SystemdErrorReplyException"/> (<c>NoSuchUnit</c>) if it is not loaded.</summary>
    public Task<string> GetUnitAsync(string unit, CancellationToken cancellationToken = default) =>
        CallAsync(ManagerCall("GetUnit"), unit, SystemdReplies.ObjectPath, cancellationToken);

    /// <summary>The object path of a unit, loading it from disk if needed.</summary>
    public Task<string> LoadUnitAsync(string unit, CancellationToken cancellationToken = default) =>
        CallAsync(ManagerCall("LoadUnit"), unit, SystemdReplies.ObjectPath, cancellationToken);

    /// <summary>Reads one string property of a unit object (<c>Properties.Get</c>), e.g. <c>ActiveState</c>.</summary>
    public Task<string> GetStringPropertyAsync(string unitPath, string @interface, string property, CancellationToken cancellationToken = default) =>
        CallAsync(PropertiesCall(unitPath, "Get"), @interface, property, SystemdReplies.StringVariant, cancellationToken);

    /// <summary>The unit's state: load, active and sub state, and for services the result, exit status, restarts and invocation.</summary>
    public async Task<UnitState> GetUnitStateAsync(string unit, CancellationToken cancellationToken = default)
    {
        var path = await LoadUnitAsync(unit, cancellationToken).ConfigureAwait(false);
        var unitProperties = await GetAllAsync(path, SystemdNames.UnitInterface, cancellationToken).ConfigureAwait(false);
        var serviceProperties = unit.EndsWith(".service", StringComparison.Ordinal)
            ? await GetAllAsync(path, SystemdNames.ServiceInterface, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, VariantValue>(StringComparer.Ordinal);
        return UnitProperties.ToState(unit, unitProperties, serviceProperties);
    }

    /// <summary>Units whose state is one of <paramref name="states"/> and name matches one of <paramref name="patterns"/> (empty = any).</summary>
    public async Task<IReadOnlyList<UnitListEntry>> ListUnitsByPatternsAsync(IReadOnlyList<string> states, IReadOnlyList<string> patterns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(patterns);
        var call = ManagerCall("ListUnitsByPatterns");
        return await CallAsync(call, connection => CreateMessage(connection, call, states, patterns), SystemdReplies.UnitList, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection, once; calls still waiting fail with <see cref="SystemdConnectionException"/>, and none opens another.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Volatile.Read(ref _link).Close();
        }
        return ValueTask.CompletedTask;
    }

    private Task<Dictionary<string, VariantValue>> GetAllAsync(string path, string @interface, CancellationToken cancellationToken) =>
        CallAsync(PropertiesCall(path, "GetAll"), @interface, SystemdReplies.Properties, cancellationToken);

    // systemd sends JobRemoved only to clients that called Subscribe; once per connection is enough.
    private async Task EnsureSubscribedAsync(BusLink link, CancellationToken cancellationToken)
    {
        if (link.IsSubscribed)
        {
            return;
        }
        var call = ManagerCall("Subscribe");
        await SendAsync(link, call, connection => CreateMessage(connection, call), SystemdReplies.Nothing, cancellationToken).ConfigureAwait(false);
        link.MarkSubscribed();
    }
}
