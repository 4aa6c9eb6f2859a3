namespace UpdateAgent.Systemd;

/// <summary>Where systemd's bus is when the configuration names no address.</summary>
public static class SystemBus
{
    /// <summary>The system bus socket that systemd and sd-bus use when nothing else is set.</summary>
    public const string DefaultAddress = "unix:path=/run/dbus/system_bus_socket";

    /// <summary>
    /// <c>DBUS_SYSTEM_BUS_ADDRESS</c> if set, else <see cref="DefaultAddress"/>. The D-Bus library's
    /// own default is the older <c>/var/run/dbus/…</c> path, which is a symlink that may be missing.
    /// </summary>
    public static string Address =>
        Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultAddress;
}
