using System.Globalization;
using System.Runtime.InteropServices;

namespace UpdateAgent.Hosting;

/// <summary>Gives a file to a group (by name), which .NET has no API for.</summary>
internal static partial class GroupOwnership
{
    public static void Set(string path, string group)
    {
        var fields = File.ReadLines("/etc/group").Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 3 && f[0] == group)
            ?? throw new IOException($"group '{group}' does not exist (set [agent] api_group to an existing group)");
        var gid = uint.Parse(fields[2], CultureInfo.InvariantCulture);
        if (chown(path, uint.MaxValue, gid) != 0)
        {
            throw new IOException($"could not give {path} to group {group}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    // uid (uint)-1 leaves the owner unchanged.
    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int chown(string path, uint owner, uint group);
}
