using UpdateAgent.SystemTests.Engine;
using UpdateAgent.SystemTests.Testbed;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Rootless;

/// <summary>
/// The Native AOT binary and a workspace's policy and keys copied into the guest, at the same paths,
/// owned by root and readable by everyone: what a host's root-owned installation looks like to the
/// system daemon and to a user instance alike.
/// </summary>
internal static class GuestAgentFiles
{
    public const string Home = "/var/tmp/ua-rootless";
    public const string Binary = Home + "/update-agent";

    /// <summary>Copies them in and returns the policy's path.</summary>
    public static async Task<string> InstallAsync(TestbedFixture testbed, EngineWorkspace work)
    {
        var aot = Path.Combine(ProcessRunner.RepositoryRoot, "artifacts", "aot", "update-agent");
        Assert.True(File.Exists(aot), $"{aot} is missing: ./test.sh publishes it before the tests");
        var root = $"/proc/{testbed.GuestPid}/root";
        await testbed.ShellInGuestAsync($"mkdir -p {Home} {work.Trust.Folder} && chmod 755 {Home}");
        File.Copy(aot, root + Binary, overwrite: true);
        foreach (var file in Directory.EnumerateFiles(work.Trust.Folder))
        {
            File.Copy(file, root + file, overwrite: true);
        }
        await testbed.ShellInGuestAsync($"chmod 755 {Binary} && chown -R root: {work.Trust.Folder} && chmod -R a+rX,go-w {work.Trust.Folder} && chmod a+x $(dirname {work.Trust.Folder})");
        return Directory.EnumerateFiles(work.Trust.Folder, "gated-*.toml").Single();
    }
}
