using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.DBus;

/// <summary>The message bus's own methods (<c>org.freedesktop.DBus</c>) as ready-made calls.</summary>
public static class BusCalls
{
    /// <summary>The bus's own name, path and interface.</summary>
    public const string BusName = "org.freedesktop.DBus";

    private const string BusPath = "/org/freedesktop/DBus";

    /// <summary><c>Hello()</c>: must be the first call on a bus connection.</summary>
    public static OutgoingMessage Hello() => OutgoingMessage.MethodCall(BusName, BusPath, BusName, "Hello");

    /// <summary><c>AddMatch(s)</c>.</summary>
    public static OutgoingMessage AddMatch(string rule) => OutgoingMessage.MethodCall(BusName, BusPath, BusName, "AddMatch", "s", Marshal.Body("s", rule));

    /// <summary><c>RemoveMatch(s)</c>.</summary>
    public static OutgoingMessage RemoveMatch(string rule) => OutgoingMessage.MethodCall(BusName, BusPath, BusName, "RemoveMatch", "s", Marshal.Body("s", rule));

    /// <summary><c>GetNameOwner(s)</c>.</summary>
    public static OutgoingMessage GetNameOwner(string name) => OutgoingMessage.MethodCall(BusName, BusPath, BusName, "GetNameOwner", "s", Marshal.Body("s", name));

    /// <summary><c>RequestName(s, u)</c> with no flags.</summary>
    public static OutgoingMessage RequestName(string name) => OutgoingMessage.MethodCall(BusName, BusPath, BusName, "RequestName", "su", Marshal.Body("su", name, 0u));

    /// <summary><c>org.freedesktop.DBus.Properties.Get(s, s)</c> on any object.</summary>
    public static OutgoingMessage GetProperty(string destination, string path, string @interface, string property) =>
        OutgoingMessage.MethodCall(destination, path, "org.freedesktop.DBus.Properties", "Get", "ss", Marshal.Body("ss", @interface, property));

    /// <summary><c>org.freedesktop.DBus.Properties.GetAll(s)</c> on any object.</summary>
    public static OutgoingMessage GetAllProperties(string destination, string path, string @interface) =>
        OutgoingMessage.MethodCall(destination, path, "org.freedesktop.DBus.Properties", "GetAll", "s", Marshal.Body("s", @interface));
}
