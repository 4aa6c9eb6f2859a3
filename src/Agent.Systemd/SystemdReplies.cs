using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>Readers for the bodies of systemd's replies and signals.</summary>
internal static class SystemdReplies
{
    public static readonly MessageValueReader<bool> Nothing = static (_, _) => true;

    public static readonly MessageValueReader<string> String = static (message, _) => message.GetBodyReader().ReadString();

    public static readonly MessageValueReader<string> ObjectPath = static (message, _) => message.GetBodyReader().ReadObjectPathAsString();

    public static readonly MessageValueReader<Dictionary<string, VariantValue>> Properties =
        static (message, _) => message.GetBodyReader().ReadDictionaryOfStringToVariantValue();

    public static readonly MessageValueReader<string> StringVariant = static (message, _) =>
    {
        var value = message.GetBodyReader().ReadVariantValue();
        return value.Type == VariantValueType.String
            ? value.GetString()
            : throw new DBusUnexpectedValueException($"expected a string property, got {value.Type}");
    };

    /// <summary><c>a(ssssssouso)</c>: name, description, load, active, sub, following, path, job id, job type, job path.</summary>
    public static readonly MessageValueReader<IReadOnlyList<UnitListEntry>> UnitList = static (message, _) =>
    {
        var reader = message.GetBodyReader();
        var rows = new List<UnitListEntry>();
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            var name = reader.ReadString();
            var description = reader.ReadString();
            var loadState = reader.ReadString();
            var activeState = reader.ReadString();
            var subState = reader.ReadString();
            reader.ReadString(); // following
            var path = reader.ReadObjectPathAsString();
            reader.ReadUInt32(); // job id, type and path
            reader.ReadString();
            reader.ReadObjectPathAsString();
            rows.Add(new UnitListEntry(name, description, loadState, activeState, subState, path));
        }
        return rows;
    };

    /// <summary><c>uoss</c>: id, job path, unit, result; anything else is not a JobRemoved we understand.</summary>
    public static readonly MessageValueReader<JobRemoval?> JobRemoved = static (message, _) =>
    {
        if (message.SignatureAsString != "uoss")
        {
            return null;
        }
        var reader = message.GetBodyReader();
        reader.ReadUInt32();
        var path = reader.ReadObjectPathAsString();
        reader.ReadString();
        return new JobRemoval(path, reader.ReadString());
    };
}
