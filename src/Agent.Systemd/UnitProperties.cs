using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>Turns systemd's property dictionaries into a <see cref="UnitState"/>, tolerating absent properties.</summary>
internal static class UnitProperties
{
    public static UnitState ToState(string unit, IReadOnlyDictionary<string, object> unitProperties, IReadOnlyDictionary<string, object> serviceProperties)
    {
        T Get<T>(IReadOnlyDictionary<string, object> properties, string name, T fallback) =>
            properties.TryGetValue(name, out var value) && value is T typed ? typed : fallback;

        var timestamp = Get(unitProperties, "ActiveEnterTimestamp", 0ul);
        return new UnitState(
            unit,
            Get(unitProperties, "LoadState", ""),
            Get(unitProperties, "ActiveState", ""),
            Get(unitProperties, "SubState", ""),
            Get(serviceProperties, "Result", ""),
            Get(serviceProperties, "ExecMainStatus", 0),
            Get(serviceProperties, "ExecMainCode", 0),
            Get(serviceProperties, "NRestarts", 0u),
            Convert.ToHexStringLower(Get(unitProperties, "InvocationID", Array.Empty<byte>())),
            timestamp == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)(timestamp / 1000)),
            Get(serviceProperties, "MainPID", 0u));
    }
}
