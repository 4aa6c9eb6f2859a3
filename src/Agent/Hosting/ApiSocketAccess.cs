namespace UpdateAgent.Hosting;

/// <summary>
/// Who may connect to the API socket: root only, or root plus the read-only group. The socket's
/// mode is the first gate, the peer credentials the second. Applied as soon as the socket listens,
/// before recovery, so the group can read status while the daemon recovers.
/// </summary>
internal sealed class ApiSocketAccess(string path, string? group)
{
    public void Apply()
    {
        File.SetUnixFileMode(path, group is null ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        if (group is not null)
        {
            GroupOwnership.Set(path, group);
        }
    }
}
