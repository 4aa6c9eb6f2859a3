using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>Turns systemd's property dictionaries into a <see cref="UnitState"/>, tolerating absent or oddly typed properties.</summary>
internal static class UnitProperties
{
    public static UnitState ToState(string unit, IReadOnlyDictionary<string, VariantValue> unitProperties, IReadOnlyDictionary<string, VariantValue> serviceProperties)
    {
        var timestamp = Get(unitProperties, "ActiveEnterTimestamp", VariantValueType.UInt64, v => v.GetUInt64(), 0ul);
        return new UnitState(
            unit,
            Text(unitProperties, "LoadState"),
            Text(unitProperties, "ActiveState"),
            Text(unitProperties, "SubState"),
            Text(serviceProperties, "Result"),
            Get(serviceProperties, "ExecMainStatus", VariantValueType.Int32, v => v.GetInt32(), 0),
            Get(serviceProperties, "ExecMainCode", VariantValueType.Int32, v => v.GetInt32(), 0),
            Get(serviceProperties, "NRestarts", VariantValueType.UInt32, v => v.GetUInt32(), 0u),
            Convert.ToHexStringLower(Get(unitProperties, "InvocationID", VariantValueType.Array, Bytes, [])),
            timestamp == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)(timestamp / 1000)),
            Get(serviceProperties, "MainPID", VariantValueType.UInt32, v => v.GetUInt32(), 0u));
    }

    private static string Text(IReadOnlyDictionary<string, VariantValue> properties, string name) =>
        Get(properties, name, VariantValueType.String, v => v.GetString(), "");

    private static byte[] Bytes(VariantValue value) => value.ItemType == VariantValueType.Byte ? value.GetArray<byte>() : [];

    private static T Get<T>(IReadOnlyDictionary<string, VariantValue> properties, string name, VariantValueType type, Func<VariantValue, T> read, T fallback) =>
        properties.TryGetValue(name, out var value) && value.Type == type ? read(value) : fallback;
}
