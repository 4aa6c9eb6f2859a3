using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>
/// systemd's service manager over D-Bus, typed: look units up, read their state, list them, and
/// run start/stop/restart jobs to their end. A job is followed the way go-systemd and podman do
/// it: the <c>JobRemoved</c> subscription exists before the job is queued, and the result of
/// exactly that job is returned; only <c>done</c> is success. It owns its bus connection and
/// closes it exactly once, on dispose. Every failure is a <see cref="SystemdException"/>; the
/// D-Bus library's own exceptions never leave this type.
/// </summary>
public sealed partial class SystemdManager : IAsyncDisposable
{
    /// <summary>What a job may take when the caller names no limit.</summary>
    public static readonly TimeSpan DefaultJobTimeout = TimeSpan.FromMinutes(2);

    /// <summary>What a call waits for its reply unless <see cref="CallTimeout"/> says otherwise (sd-bus uses the same).</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(25);

    private readonly DBusConnection _connection;
    private int _subscribed;
    private int _disposed;

    private SystemdManager(DBusConnection connection, string address)
    {
        _connection = connection;
        Address = address;
        UniqueName = connection.UniqueName;
    }

    /// <summary>The bus address this manager is connected to.</summary>
    public string Address { get; }

    /// <summary>The unique name the bus gave this connection (<c>:1.42</c>).</summary>
    public string? UniqueName { get; }

    /// <summary>What one call waits for its reply; the library itself would wait forever.</summary>
    public TimeSpan CallTimeout { get; set; } = DefaultCallTimeout;

    /// <summary>Connects to the bus at <paramref name="address"/> (see <see cref="SystemBus.Address"/>).</summary>
    /// <exception cref="SystemdConnectionException">The bus cannot be reached; the message names the address.</exception>
    public static async Task<SystemdManager> ConnectAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(DefaultCallTimeout, cancellationToken).ConfigureAwait(false);
            return new SystemdManager(connection, address);
        }
        catch (Exception e) when (e is DBusExceptionBase or TimeoutException)
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
        return await CallAsync(call, CreateMessage(call, states, patterns), SystemdReplies.UnitList, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection, once; calls still waiting fail with <see cref="SystemdConnectionException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _connection.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private Task<Dictionary<string, VariantValue>> GetAllAsync(string path, string @interface, CancellationToken cancellationToken) =>
        CallAsync(PropertiesCall(path, "GetAll"), @interface, SystemdReplies.Properties, cancellationToken);

    // systemd sends JobRemoved only to clients that called Subscribe; once per connection is enough.
    private async Task EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _subscribed) == 1)
        {
            return;
        }
        var call = ManagerCall("Subscribe");
        await CallAsync(call, CreateMessage(call), SystemdReplies.Nothing, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _subscribed, 1);
    }
}
