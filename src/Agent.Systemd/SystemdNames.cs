namespace UpdateAgent.Systemd;

/// <summary>systemd's D-Bus names.</summary>
public static class SystemdNames
{
    /// <summary>The bus name of the service manager.</summary>
    public const string Destination = "org.freedesktop.systemd1";

    /// <summary>The manager object.</summary>
    public const string ManagerPath = "/org/freedesktop/systemd1";

    /// <summary>The manager interface.</summary>
    public const string ManagerInterface = "org.freedesktop.systemd1.Manager";

    /// <summary>Properties every unit has.</summary>
    public const string UnitInterface = "org.freedesktop.systemd1.Unit";

    /// <summary>Properties of service units.</summary>
    public const string ServiceInterface = "org.freedesktop.systemd1.Service";

    /// <summary>The error systemd answers for a unit it has not loaded.</summary>
    public const string NoSuchUnitError = "org.freedesktop.systemd1.NoSuchUnit";
}
