namespace UpdateAgent.Systemd;

public sealed partial class SystemdManager
{
    private const string UnknownInterfaceError = "org.freedesktop.DBus.Error.UnknownInterface";

    private const string UnknownPropertyError = "org.freedesktop.DBus.Error.UnknownProperty";

    /// <summary>
    /// The argv of each <c>ExecStart=</c> command of <paramref name="unit"/>, as systemd parsed the
    /// unit file (specifiers expanded, quotes removed); loads the unit if it is not loaded. A unit
    /// that is not a service has no such commands: empty. Bounded: more than
    /// <see cref="ExecCommands.MaxCommands"/> commands or oversized arguments throw
    /// <see cref="SystemdException"/> naming the limit, so a caller never judges a part.
    /// </summary>
    /// <exception cref="SystemdException">systemd could not be asked, refused, or answered something unexpected.</exception>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> GetExecStartAsync(string unit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        if (!unit.EndsWith(".service", StringComparison.Ordinal))
        {
            return [];
        }
        var path = await LoadUnitAsync(unit, cancellationToken).ConfigureAwait(false);
        try
        {
            return await CallAsync(PropertiesCall(path, "Get"), SystemdNames.ServiceInterface, "ExecStart", ExecCommands.Reply, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdErrorReplyException e) when (e.ErrorName is UnknownInterfaceError or UnknownPropertyError)
        {
            return []; // not a service after all (an alias systemd resolved to another kind)
        }
    }
}
