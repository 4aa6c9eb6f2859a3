using System.Runtime.InteropServices;

namespace UpdateAgent.Core.History;

/// <summary>
/// Binds Microsoft.Data.Sqlite to the operating system's SQLite (<c>libsqlite3.so.0</c>, from
/// <c>sqlite-libs</c> on Fedora/RHEL and <c>libsqlite3-0</c> on Debian), so security fixes to
/// SQLite reach update-agent with the OS's updates instead of waiting for a copy of our own.
/// </summary>
public static class SystemSqlite
{
    /// <summary>The file name the runtime loads: the versioned name, which every install of the library has.</summary>
    public const string LibraryName = "libsqlite3.so.0";

    /// <summary>What to install when the library is missing, for a person to read.</summary>
    public const string PackageHint = "install sqlite-libs (Fedora, RHEL) or libsqlite3-0 (Debian, Ubuntu)";

    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>
    /// Loads the system library and makes it SQLite's provider, once per process. Throws
    /// <see cref="SystemSqliteMissingException"/> with a one-line reason when it cannot be loaded.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }
            if (!NativeLibrary.TryLoad(LibraryName, out var handle))
            {
                throw new SystemSqliteMissingException($"the system SQLite library ({LibraryName}) is not installed: {PackageHint}");
            }
            // The provider asks for "sqlite3", which the runtime resolves only to the unversioned
            // libsqlite3.so that just the -dev/-devel packages install; hand it the library loaded above.
            NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_sqlite3).Assembly,
                (name, _, _) => name == "sqlite3" ? handle : IntPtr.Zero);
            SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_sqlite3());
            _initialized = true;
        }
    }
}
