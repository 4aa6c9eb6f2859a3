namespace UpdateAgent.Tests;

/// <summary>Commands that need no podman or systemd: holds, quarantine, status and their errors.</summary>
public sealed class CommandTests
{
    [Fact]
    public async Task Status_before_any_check_says_what_to_do()
    {
        using var cli = new CliRunner();
        var (exit, output, _) = await cli.RunAsync("status", "--config", cli.Config());
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("no unit has been checked yet", output, StringComparison.Ordinal);
        var json = await cli.RunAsync("status", "--config", cli.Config(), "--json");
        Assert.Contains("\"units\": []", json.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hold_and_release_round_trip_and_releasing_twice_is_an_error()
    {
        using var cli = new CliRunner();
        var config = cli.Config();
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("hold", "app.service", "--reason", "audit week", "--config", config)).Exit);
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("release", "app.service", "--config", config)).Exit);
        var again = await cli.RunAsync("release", "app.service", "--config", config);
        Assert.Equal(ExitCodes.UsageError, again.Exit);
        Assert.Contains("app.service is not held", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Releasing_a_digest_that_is_not_quarantined_is_an_error()
    {
        using var cli = new CliRunner();
        var (exit, _, error) = await cli.RunAsync("quarantine", "release", "app.service", "sha256:00", "--config", cli.Config());
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains("is not quarantined for app.service", error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("quarantine", "list", "--config", cli.Config(), "--json")).Exit);
    }

    [Fact]
    public async Task History_refuses_a_since_it_cannot_read()
    {
        using var cli = new CliRunner();
        var (exit, _, error) = await cli.RunAsync("history", "--since", "last tuesday", "--config", cli.Config());
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains("--since 'last tuesday'", error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("history", "--since", "24h", "--config", cli.Config())).Exit);
    }

    [Fact]
    public async Task Check_without_systemd_or_podman_is_unavailable_and_changes_nothing()
    {
        using var cli = new CliRunner();
        var (exit, _, error) = await cli.RunAsync("check", "--config", cli.Config());
        Assert.Equal(ExitCodes.Unavailable, exit);
        Assert.Contains("no-bus", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guard_lets_a_unit_start_when_nothing_was_verified_for_it_yet()
    {
        using var cli = new CliRunner();
        var config = cli.Config();
        var (exit, output, _) = await cli.RunAsync("guard", "app.service", "--config", config);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("no history store yet", output, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(cli.Folder, "state"));
        UpdateAgent.Core.History.HistoryStore.Open(Path.Combine(cli.Folder, "state", "history.db")).Dispose();
        (exit, output, _) = await cli.RunAsync("guard", "app.service", "--config", config);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("no verified digest yet", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guard_checks_every_image_of_a_unit_that_runs_several()
    {
        using var cli = new CliRunner();
        var config = cli.Config();
        Directory.CreateDirectory(Path.Combine(cli.Folder, "state"));
        using (var history = UpdateAgent.Core.History.HistoryStore.Open(Path.Combine(cli.Folder, "state", "history.db")))
        {
            history.RecordVerified(new UpdateAgent.Core.History.LedgerEntry("shop-pod.service/reg.example/side:latest", "reg.example/side:latest",
                "sha256:" + new string('a', 64), "sha256:" + new string('a', 64), "img", "adopted", "ci", "accepted", default));
        }
        // No podman answers here: the guard must have tried to read the sidecar's tag, and fails closed.
        var (exit, _, error) = await cli.RunAsync("guard", "shop-pod.service", "--config", config);
        Assert.Equal(ExitCodes.Refused, exit);
        Assert.Contains("cannot read reg.example/side:latest", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guard_refuses_when_the_history_store_cannot_be_read()
    {
        using var cli = new CliRunner();
        var config = cli.Config();
        Directory.CreateDirectory(Path.Combine(cli.Folder, "state"));
        await File.WriteAllTextAsync(Path.Combine(cli.Folder, "state", "history.db"), new string('x', 8192));
        var (exit, _, error) = await cli.RunAsync("guard", "app.service", "--config", config);
        Assert.Equal(ExitCodes.Refused, exit);
        Assert.Contains($"the history store {Path.Combine(cli.Folder, "state", "history.db")} cannot be opened", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task The_daemon_does_not_start_on_a_corrupt_history_store_and_says_which_file_in_one_line()
    {
        using var cli = new CliRunner();
        var config = cli.Config();
        var store = Path.Combine(cli.Folder, "state", "history.db");
        Directory.CreateDirectory(Path.GetDirectoryName(store)!);
        await File.WriteAllTextAsync(store, "SQLite format 3\0" + new string('x', 8192));
        var (exit, _, error) = await cli.RunAsync("run", "--config", config);
        Assert.Equal(ExitCodes.Unavailable, exit);
        Assert.StartsWith($"update-agent run: the history store {store} ", error, StringComparison.Ordinal);
        Assert.Contains("move it aside", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        var guard = await cli.RunAsync("guard", "app.service", "--config", config);
        Assert.Equal(ExitCodes.Refused, guard.Exit);
        Assert.Contains(error["update-agent run: ".Length..].Trim(), guard.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_the_exit_codes()
    {
        using var cli = new CliRunner();
        var (_, output, _) = await cli.RunAsync("--help");
        Assert.Contains("EXIT CODES", output, StringComparison.Ordinal);
        Assert.Contains("5  another update is running", output, StringComparison.Ordinal);
    }
}
