using UpdateAgent.DBus;
using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>
/// systemd's service manager over D-Bus, typed: look units up, read their state, list them, and
/// run start/stop/restart jobs to their end. A job is followed the way go-systemd and podman do
/// it: the <c>JobRemoved</c> subscription exists before the job is queued, and the result of
/// exactly that job is returned; only <c>done</c> is success.
/// </summary>
public sealed partial class SystemdManager(DBusConnection connection)
{
    /// <summary>What a job may take when the caller names no limit.</summary>
    public static readonly TimeSpan DefaultJobTimeout = TimeSpan.FromMinutes(2);

    private int _subscribed;

    /// <summary>The connection underneath.</summary>
    public DBusConnection Connection { get; } = connection;

    /// <summary>The object path of a loaded unit; throws <see cref="DBusErrorReplyException"/> (<c>NoSuchUnit</c>) if it is not loaded.</summary>
    public async Task<ObjectPath> GetUnitAsync(string unit, CancellationToken cancellationToken = default)
    {
        var reply = await CallManagerAsync("GetUnit", "s", [unit], cancellationToken).ConfigureAwait(false);
        return reply.GetBodyReader().ReadObjectPath();
    }

    /// <summary>The object path of a unit, loading it from disk if needed.</summary>
    public async Task<ObjectPath> LoadUnitAsync(string unit, CancellationToken cancellationToken = default)
    {
        var reply = await CallManagerAsync("LoadUnit", "s", [unit], cancellationToken).ConfigureAwait(false);
        return reply.GetBodyReader().ReadObjectPath();
    }

    /// <summary>Reads one property of a unit object (<c>Properties.Get</c>) in the generic value model.</summary>
    public async Task<object> GetPropertyAsync(ObjectPath unitPath, string @interface, string property, CancellationToken cancellationToken = default)
    {
        var reply = await Connection.CallAsync(BusCalls.GetProperty(SystemdNames.Destination, unitPath.Value, @interface, property), cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.GetBodyReader().ReadVariant().Value;
    }

    /// <summary>The unit's state: load, active and sub state, and for services the result, exit status, restarts and invocation.</summary>
    public async Task<UnitState> GetUnitStateAsync(string unit, CancellationToken cancellationToken = default)
    {
        var path = await LoadUnitAsync(unit, cancellationToken).ConfigureAwait(false);
        var unitProperties = await GetAllAsync(path, SystemdNames.UnitInterface, cancellationToken).ConfigureAwait(false);
        var serviceProperties = unit.EndsWith(".service", StringComparison.Ordinal)
            ? await GetAllAsync(path, SystemdNames.ServiceInterface, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, object>(StringComparer.Ordinal);
        return UnitProperties.ToState(unit, unitProperties, serviceProperties);
    }

    /// <summary>Units whose state is one of <paramref name="states"/> and name matches one of <paramref name="patterns"/> (empty = any).</summary>
    public async Task<IReadOnlyList<UnitListEntry>> ListUnitsByPatternsAsync(IReadOnlyList<string> states, IReadOnlyList<string> patterns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(patterns);
        var reply = await CallManagerAsync("ListUnitsByPatterns", "asas",
            [new DBusArray("s", [.. states]), new DBusArray("s", [.. patterns])], cancellationToken).ConfigureAwait(false);
        var rows = (DBusArray)reply.ReadBody()[0];
        return rows.Items.Cast<DBusStruct>().Select(row => new UnitListEntry(
            (string)row.Fields[0], (string)row.Fields[1], (string)row.Fields[2], (string)row.Fields[3], (string)row.Fields[4],
            ((ObjectPath)row.Fields[6]).Value)).ToList();
    }

    private async Task<Dictionary<string, object>> GetAllAsync(ObjectPath path, string @interface, CancellationToken cancellationToken)
    {
        var reply = await Connection.CallAsync(BusCalls.GetAllProperties(SystemdNames.Destination, path.Value, @interface), cancellationToken: cancellationToken).ConfigureAwait(false);
        var entries = (DBusArray)reply.ReadBody()[0];
        return entries.Items.Cast<DBusDictEntry>().ToDictionary(e => (string)e.Key, e => ((DBusVariant)e.Value).Value, StringComparer.Ordinal);
    }

    private Task<Message> CallManagerAsync(string method, string signature, object[] arguments, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        Connection.CallAsync(
            OutgoingMessage.MethodCall(SystemdNames.Destination, SystemdNames.ManagerPath, SystemdNames.ManagerInterface, method, signature, Marshal.Body(signature, arguments)),
            timeout, cancellationToken);

    // systemd sends JobRemoved only to clients that called Subscribe; once per connection is enough.
    private async Task EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _subscribed) == 1)
        {
            return;
        }
        await CallManagerAsync("Subscribe", "", [], cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _subscribed, 1);
    }
}
