using System.Text;

namespace UpdateAgent.DBus;

/// <summary>
/// One D-Bus server address a client can connect to: a Unix socket by path or in the abstract
/// namespace. Addresses are written <c>unix:path=/run/dbus/system_bus_socket</c>; several may be
/// joined with <c>;</c> and are tried left to right.
/// </summary>
/// <param name="Path">Filesystem path of the socket, or null.</param>
/// <param name="AbstractName">Abstract socket name (without the leading NUL), or null.</param>
/// <param name="Guid">The server's GUID if the address names one.</param>
public sealed record DBusAddress(string? Path, string? AbstractName, string? Guid)
{
    /// <summary>The system bus socket that systemd and sd-bus use when nothing else is set.</summary>
    public const string DefaultSystemBus = "unix:path=/run/dbus/system_bus_socket";

    /// <summary>The system bus address: <c>DBUS_SYSTEM_BUS_ADDRESS</c> if set, else <see cref="DefaultSystemBus"/>.</summary>
    public static string SystemBus =>
        Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultSystemBus;

    /// <summary>A readable form for error messages.</summary>
    public override string ToString() => Path is not null ? $"unix:path={Path}" : $"unix:abstract={AbstractName}";

    /// <summary>
    /// Parses an address list. Entries of transports other than <c>unix</c>, or with only
    /// listen-side keys, are skipped; an address with none left is an error.
    /// </summary>
    /// <exception cref="FormatException">The text is not a D-Bus address, with the reason.</exception>
    public static IReadOnlyList<DBusAddress> Parse(string addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var result = new List<DBusAddress>();
        var skipped = new List<string>();
        foreach (var entry in addresses.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"D-Bus address '{entry}' has no transport (expected e.g. unix:path=/run/dbus/system_bus_socket)");
            }
            var transport = entry[..colon];
            string? path = null, abstractName = null, guid = null;
            foreach (var pair in entry[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new FormatException($"D-Bus address '{entry}': '{pair}' is not key=value");
                }
                var value = Unescape(pair[(eq + 1)..], entry);
                switch (pair[..eq])
                {
                    case "path": path = value; break;
                    case "abstract": abstractName = value; break;
                    case "guid": guid = value; break;
                }
            }
            if (transport == "unix" && (path is null) != (abstractName is null))
            {
                result.Add(new DBusAddress(path, abstractName, guid));
            }
            else
            {
                skipped.Add(entry);
            }
        }
        if (result.Count == 0)
        {
            throw new FormatException($"no usable D-Bus address in '{addresses}' (only unix:path= and unix:abstract= are supported; skipped: {string.Join("; ", skipped)})");
        }
        return result;
    }

    private static string Unescape(string value, string entry)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
                continue;
            }
            if (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2]))
            {
                throw new FormatException($"D-Bus address '{entry}': '%' must be followed by two hex digits");
            }
            bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
            i += 2;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
