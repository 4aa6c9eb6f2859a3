using UpdateAgent.SystemTests.Testbed;

namespace UpdateAgent.SystemTests.Install;

/// <summary>
/// What an installed update-agent brings beside the binary, wherever it was installed (the
/// packages under /usr/share, install.sh on an image-mode host under /usr/local/share): the man
/// pages where man looks, and a bash completion that loads and completes.
/// </summary>
internal static class InstalledConventions
{
    /// <summary>Asserts the man pages and completions under <paramref name="share"/> (and zsh's under <paramref name="zshDirectory"/>).</summary>
    public static async Task AssertAsync(TestbedFixture testbed, ITestOutputHelper output, string share, string zshDirectory)
    {
        string[] paths =
        [
            $"{share}/man/man8/update-agent.8.gz", $"{share}/man/man5/update-agent-policy.5.gz",
            $"{share}/bash-completion/completions/update-agent", $"{zshDirectory}/_update-agent",
        ];
        foreach (var path in paths)
        {
            Assert.True((await testbed.RunInGuestAsync("test", "-s", path)).ExitCode == 0, $"{path} is not installed");
        }

        // man finds both pages, where the guest has man-db (a minimal guest has no man at all).
        var man = await testbed.RunInGuestAsync("sh", "-c", "command -v man >/dev/null || exit 77; man -w update-agent && man -w 5 update-agent-policy");
        output.WriteLine($"man -w: exit {man.ExitCode} {man.StandardOutput}{man.StandardError}");
        if (man.ExitCode != 77)
        {
            Assert.Equal(0, man.ExitCode);
            Assert.Contains($"{share}/man/man8/update-agent.8.gz", man.StandardOutput, StringComparison.Ordinal);
        }
        var page = await testbed.ShellInGuestAsync($"zcat {share}/man/man8/update-agent.8.gz");
        Assert.Contains(".TH \"UPDATE-AGENT\" \"8\"", page, StringComparison.Ordinal);
        Assert.Contains("\\fB\\-\\-version\\fR", page, StringComparison.Ordinal);
        Assert.Contains(".SH NAME", await testbed.ShellInGuestAsync($"zcat {share}/man/man5/update-agent-policy.5.gz"), StringComparison.Ordinal);

        // The bash completion loads on its own and completes a command, an option, a subcommand.
        var completion = await testbed.RunInGuestAsync("bash", "-c", $$"""
            source {{share}}/bash-completion/completions/update-agent || exit 9
            complete -p update-agent
            COMP_WORDS=(update-agent st); COMP_CWORD=1; _update_agent; echo "${COMPREPLY[*]}"
            COMP_WORDS=(update-agent check --d); COMP_CWORD=2; _update_agent; echo "${COMPREPLY[*]}"
            COMP_WORDS=(update-agent quarantine l); COMP_CWORD=2; _update_agent; echo "${COMPREPLY[*]}"
            """);
        output.WriteLine($"bash completion: exit {completion.ExitCode}\n{completion.StandardOutput}{completion.StandardError}");
        Assert.Equal(0, completion.ExitCode);
        Assert.Equal("", completion.StandardError);
        Assert.Equal(["complete -F _update_agent update-agent", "status", "--dry-run", "list"],
            completion.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
