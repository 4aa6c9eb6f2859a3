using System.Text.Json;
using UpdateAgent.Testing;

namespace UpdateAgent.SystemTests.Testbed;

/// <summary>
/// The published binary in a scratch folder of the guest with a configuration of its own (state,
/// API socket and policy inside the folder), to run as a transient unit; and that unit's journal.
/// </summary>
internal static class ScratchDaemon
{
    /// <summary>Copies artifacts/aot/update-agent to <paramref name="dir"/> and writes <c>agent.toml</c> and <c>policy.toml</c> beside it.</summary>
    public static async Task PrepareAsync(TestbedFixture testbed, string dir)
    {
        var binary = Path.Combine(ProcessRunner.RepositoryRoot, "artifacts", "aot", "update-agent");
        Assert.True(File.Exists(binary), $"{binary} is missing: ./test.sh publishes it before the tests");
        var guestDir = $"/proc/{testbed.GuestPid}/root{dir}";
        Directory.CreateDirectory(guestDir);
        File.Copy(binary, $"{guestDir}/update-agent", overwrite: true);
        await testbed.WriteGuestFileAsync($"{dir}/policy.toml", $"[registries]\ninsecure = [\"{testbed.Registry}\"]\n");
        await testbed.WriteGuestFileAsync($"{dir}/agent.toml", $"""
            [agent]
            policy = "{dir}/policy.toml"
            state_directory = "{dir}/state"
            api_socket = "{dir}/api.sock"
            """);
    }

    /// <summary>The journal entries of <paramref name="unit"/> that match, as journalctl's JSON.</summary>
    public static async Task<List<JsonElement>> JournalAsync(TestbedFixture testbed, string unit, string match)
    {
        var text = await testbed.ShellInGuestAsync($"journalctl -u {unit} -o json --no-pager {match}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }
}
