using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Packaging;

/// <summary>
/// The shipped binary uses the guest's own SQLite (libsqlite3.so.0 from libsqlite3-0, with no
/// unversioned libsqlite3.so, as on a host without development packages), and says in one line
/// which package to install when the library is missing.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class SystemSqliteTests(TestbedFixture testbed, ITestOutputHelper output)
{
    private const string Folder = "/tmp/update-agent-sqlite";

    [Fact]
    public async Task The_binary_opens_its_history_with_the_system_sqlite_and_names_the_package_when_it_is_missing()
    {
        var binary = Path.Combine(Packages.BinaryDirectory, "update-agent");
        await testbed.ShellInGuestAsync($"rm -rf {Folder} && mkdir -p {Folder}/state");
        File.Copy(binary, $"/proc/{testbed.GuestPid}/root{Folder}/update-agent");
        await testbed.WriteGuestFileAsync($"{Folder}/agent.toml", $"""
            [agent]
            state_directory = "{Folder}/state"
            """);
        try
        {
            var library = (await testbed.ShellInGuestAsync("ldconfig -p | awk '/libsqlite3\\.so\\.0 / { print $NF; exit }'")).Trim();
            output.WriteLine($"{testbed.Guest}: the system SQLite is {library}");
            Assert.StartsWith("/", library, StringComparison.Ordinal);
            // Only the -dev package brings the unversioned name; with it, a binary that needs it would pass here.
            var unversioned = await testbed.RunInGuestAsync("sh", "-c", "ls /usr/lib/*/libsqlite3.so /usr/lib/libsqlite3.so 2>/dev/null");
            Assert.True(unversioned.ExitCode != 0, $"the guest has an unversioned libsqlite3.so: {unversioned.StandardOutput.Trim()}");

            var history = await testbed.RunInGuestAsync($"{Folder}/update-agent", "history", "--config", $"{Folder}/agent.toml");
            output.WriteLine($"history: exit {history.ExitCode}\n{history.StandardOutput}{history.StandardError}");
            Assert.Equal(0, history.ExitCode);
            Assert.Equal(0, (await testbed.RunInGuestAsync("test", "-s", $"{Folder}/state/history.db")).ExitCode);

            // The library made unloadable in a private mount namespace: the rest of the guest keeps it.
            var missing = await testbed.RunInGuestAsync("unshare", "-m", "sh", "-c",
                $"mount --bind /dev/null {library} && exec {Folder}/update-agent history --config {Folder}/agent.toml");
            output.WriteLine($"without SQLite: exit {missing.ExitCode}\n{missing.StandardOutput}{missing.StandardError}");
            Assert.Equal(3, missing.ExitCode);
            var line = Assert.Single(missing.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("libsqlite3.so.0", line, StringComparison.Ordinal);
            Assert.Contains("libsqlite3-0", line, StringComparison.Ordinal);
            Assert.Contains("sqlite-libs", line, StringComparison.Ordinal);
        }
        finally
        {
            await testbed.RunInGuestAsync("rm", "-rf", Folder);
        }
    }
}
