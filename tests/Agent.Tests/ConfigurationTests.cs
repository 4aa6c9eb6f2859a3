using UpdateAgent.Configuration;
using UpdateAgent.Core.Configuration;
using UpdateAgent.Trust.Policy;

namespace UpdateAgent.Tests;

/// <summary>The agent configuration: every bad key is listed with its file and key, and the daemon does not start.</summary>
public sealed class ConfigurationTests
{
    private static (AgentSettings Settings, IReadOnlyList<PolicyError> Errors) Parse(string toml)
    {
        var errors = new List<PolicyError>();
        var settings = AgentConfigLoader.Apply(new AgentSettings(), toml, "/etc/update-agent/agent.toml", errors);
        return (settings, errors);
    }

    [Fact]
    public void A_complete_file_sets_every_setting()
    {
        var (settings, errors) = Parse("""
            [agent]
            state_directory = "/srv/ua"
            restart_timeout = "2m"
            pull_timeout = "90s"
            api_group = "ops"
            history_days = 90
            [schedule]
            interval = "30m"
            jitter = "5m"
            windows = ["Mon..Fri 02:00-04:00", "Sat 10:00-12:00"]
            time_zone = "UTC"
            [health]
            soak = "45s"
            [units."app.service"]
            url = "http://127.0.0.1:8080/health"
            soak = "10s"
            [notify]
            webhook = "https://hooks.example/abc"
            format = "slack"
            """);
        Assert.Empty(errors);
        Assert.Equal("/srv/ua/history.db", settings.HistoryPath);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.RestartTimeout);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.PullTimeout);
        Assert.Equal(TimeSpan.FromMinutes(30), settings.Schedule.Interval);
        Assert.Equal(2, settings.Schedule.Windows.Count);
        Assert.Equal(TimeSpan.FromSeconds(45), settings.Health.Soak);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.UnitHealth["app.service"].Soak);
        Assert.Equal(new Uri("http://127.0.0.1:8080/health"), settings.UnitHealth["app.service"].HttpProbe);
        Assert.Equal("slack", settings.WebhookFormat);
        Assert.Equal(90, settings.HistoryDays);
    }

    [Fact]
    public void Every_error_is_listed_with_file_and_key()
    {
        var (_, errors) = Parse("""
            [agent]
            restart_timout = "2m"
            history_days = 0
            [schedule]
            interval = "soon"
            windows = ["Funday 02:00-03:00"]
            time_zone = "Mars/Olympus"
            [health]
            soak = "3h"
            [notify]
            webhook = "ftp://x"
            format = "teams"
            [colour]
            """);
        var text = errors.Select(e => e.ToString()).ToList();
        Assert.Contains(text, e => e.StartsWith("/etc/update-agent/agent.toml: agent.restart_timout:", StringComparison.Ordinal));
        Assert.Contains(text, e => e.Contains("schedule.interval: 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(text, e => e.Contains("schedule.windows: 'Funday' is not a day", StringComparison.Ordinal));
        Assert.Contains(text, e => e.Contains("schedule.time_zone: 'Mars/Olympus' is not a known time zone", StringComparison.Ordinal));
        Assert.Contains(text, e => e.Contains("health.soak:", StringComparison.Ordinal));
        Assert.Contains(text, e => e.Contains("notify.webhook: must be an http(s) URL", StringComparison.Ordinal));
        Assert.Contains(text, e => e.Contains("notify.format:", StringComparison.Ordinal));
        Assert.Contains(text, e => e.Contains("colour", StringComparison.Ordinal));
        Assert.Contains(text, e => e.Contains("agent.history_days:", StringComparison.Ordinal));
        Assert.Equal(9, errors.Count);
    }

    // Found by bench/fuzz (agent-config): a zone name that is a folder of the zone database made
    // .NET throw SecurityException (it cannot read a folder as a zone file) out of the loader.
    [Fact]
    public void A_time_zone_that_names_a_folder_of_zones_is_an_error()
    {
        var (_, errors) = Parse("""
            [Wgent]
            d = "report"
            [schedule]
            inderval = "1h"
            windows = ["Mon..Fri 00:00-24:00", "Sat 06:00-05:00"]
            time_zone = "Europe/"
            coth = false
            """);
        Assert.Contains(errors, e => e.ToString().Contains("schedule.time_zone: 'Europe/' is not a known time zone", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_not_toml_says_so()
    {
        var (_, errors) = Parse("[agent\npolicy = ");
        Assert.Contains("not valid TOML", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_files_override_earlier_keys_and_missing_optional_files_are_skipped()
    {
        using var cli = new CliRunner();
        var vendor = cli.Write("vendor.toml", "[schedule]\ninterval = \"15m\"\njitter = \"2m\"\n");
        var host = cli.Write("host.toml", "[schedule]\ninterval = \"1h\"\n");
        var (settings, errors) = AgentConfigLoader.Load([vendor, host, Path.Combine(cli.Folder, "absent.toml")]);
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromHours(1), settings.Schedule.Interval);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.Schedule.Jitter);
    }

    [Fact]
    public void Files_that_others_could_change_are_refused()
    {
        using var cli = new CliRunner();
        var file = cli.Write("policy.toml", "");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        var problem = Assert.Single(FilePermissions.Check([file]));
        Assert.Contains("writable by anyone", problem, StringComparison.Ordinal);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Empty(FilePermissions.Check([file]));
    }

    [Fact]
    public async Task A_key_the_policy_names_that_others_could_change_is_refused_like_the_policy()
    {
        using var cli = new CliRunner();
        using var key = System.Security.Cryptography.ECDsa.Create();
        var keyFile = cli.Write("ci.pub", key.ExportSubjectPublicKeyInfoPem());
        var config = cli.Config();
        cli.Write("policy.toml", $"[authorities.ci]\nkey = \"{keyFile}\"\n");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead);

        var (exit, _, error) = await cli.RunAsync("check", "--dry-run", "--config", config);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains($"{keyFile}: writable by its group", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daemon_does_not_start_with_a_bad_configuration_and_lists_every_error()
    {
        using var cli = new CliRunner();
        var config = cli.Config("restart_timeout = \"forever\"\nstate_dir = \"/x\"");
        var (exit, output, error) = await cli.RunAsync("run", "--config", config);
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Empty(output);
        Assert.Contains("agent.restart_timeout: 'forever' is not a duration", error, StringComparison.Ordinal);
        Assert.Contains("agent.state_dir:", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cli.Folder, "api.sock")));
    }

    [Fact]
    public async Task A_missing_policy_stops_the_daemon_with_the_path_named()
    {
        using var cli = new CliRunner();
        var config = cli.Config();
        File.Delete(Path.Combine(cli.Folder, "policy.toml"));
        var (exit, _, error) = await cli.RunAsync("run", "--config", config);
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains("policy.toml: the policy file does not exist", error, StringComparison.Ordinal);
    }
}
