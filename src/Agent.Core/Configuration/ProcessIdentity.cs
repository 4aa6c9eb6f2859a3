using System.Runtime.InteropServices;

namespace UpdateAgent.Core.Configuration;

/// <summary>Who this process runs as, which .NET does not expose as a number.</summary>
public static partial class ProcessIdentity
{
    /// <summary>The effective uid: 0 for the system daemon, the user's own for a user instance.</summary>
    public static uint EffectiveUid => geteuid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
