namespace UpdateAgent.Systemd;

public sealed partial class SystemdManager
{
    private const string FileNotFoundError = "org.freedesktop.DBus.Error.FileNotFound";

    /// <summary>
    /// Whether a unit file is enabled (<c>GetUnitFileState</c>): <c>enabled</c>, <c>disabled</c>,
    /// <c>static</c>, <c>masked</c>, <c>linked</c>, … as <c>systemctl is-enabled</c> prints it;
    /// empty when no such unit file exists.
    /// </summary>
    /// <exception cref="SystemdException">systemd could not be asked or refused.</exception>
    public async Task<string> GetUnitFileStateAsync(string unitFile, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(unitFile);
        try
        {
            return await CallAsync(ManagerCall("GetUnitFileState"), unitFile, SystemdReplies.String, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemdErrorReplyException e) when (e.ErrorName is FileNotFoundError or SystemdNames.NoSuchUnitError)
        {
            return "";
        }
    }
}
