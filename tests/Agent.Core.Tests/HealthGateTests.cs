using UpdateAgent.Core.Health;
using UpdateAgent.Core.Scheduling;

namespace UpdateAgent.Core.Tests;

/// <summary>The health gate's checks, driven by a fake clock.</summary>
public sealed class HealthGateTests
{
    private static readonly string[] Containers = ["app"];

    [Fact]
    public async Task A_restart_during_the_soak_window_fails_the_gate()
    {
        using var rig = new Rig().WithApp();
        var gate = rig.Health.EvaluateAsync("app.service", Containers, new HealthGateSettings { Soak = TimeSpan.FromSeconds(30) }, CancellationToken.None);
        await Task.Yield();
        rig.Units.RestartCount = 1; // systemd restarted it behind our back
        var verdict = await rig.Drive(gate);
        Assert.False(verdict.Healthy);
        Assert.Contains("did not stay up during the 30 s soak", verdict.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public async Task A_wall_clock_stepped_an_hour_during_the_soak_neither_shortens_nor_stretches_it(int hours)
    {
        using var rig = new Rig().WithApp();
        var clock = new SteppedClock(rig.Time);
        var gate = new HealthGate(rig.Units, rig.Podman, rig.Http, clock);
        var started = rig.Time.GetTimestamp();

        var soak = gate.EvaluateAsync("app.service", Containers, new HealthGateSettings { Soak = TimeSpan.FromSeconds(30) }, CancellationToken.None);
        await Task.Yield();
        clock.Step(TimeSpan.FromHours(hours));
        var verdict = await rig.Drive(soak);

        Assert.True(verdict.Healthy, verdict.Summary);
        var soaked = rig.Time.GetElapsedTime(started);
        Assert.InRange(soaked, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task An_http_probe_is_retried_until_it_answers_2xx()
    {
        using var rig = new Rig().WithApp();
        rig.Http.Answers.Enqueue(false);
        rig.Http.Answers.Enqueue(false);
        rig.Http.Answers.Enqueue(true);
        var settings = new HealthGateSettings { Soak = TimeSpan.Zero, HttpProbe = new Uri("http://127.0.0.1:8080/health") };
        var verdict = await rig.Drive(rig.Health.EvaluateAsync("app.service", Containers, settings, CancellationToken.None));
        Assert.True(verdict.Healthy, verdict.Summary);
        Assert.Contains("GET http://127.0.0.1:8080/health → 200", verdict.Summary, StringComparison.Ordinal);
        // Probed from the network of the unit's (first) container, which a pod's containers share.
        Assert.All(rig.Http.Containers, c => Assert.Equal(Containers[0], c));
    }

    [Fact]
    public async Task An_http_probe_that_never_passes_fails_after_the_check_timeout()
    {
        using var rig = new Rig().WithApp();
        for (var i = 0; i < 1000; i++)
        {
            rig.Http.Answers.Enqueue(false);
        }
        var settings = new HealthGateSettings { Soak = TimeSpan.Zero, HttpProbe = new Uri("http://127.0.0.1:8080/health"), CheckTimeout = TimeSpan.FromSeconds(5) };
        var verdict = await rig.Drive(rig.Health.EvaluateAsync("app.service", Containers, settings, CancellationToken.None));
        Assert.False(verdict.Healthy);
        Assert.Contains("still failing after 5 s", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_that_is_not_running_yet_is_waited_for_until_the_check_timeout()
    {
        using var rig = new Rig().WithApp();
        rig.Podman.NotRunningChecks = 3;
        var late = await rig.Drive(rig.Health.EvaluateAsync("app.service", Containers, new HealthGateSettings { Soak = TimeSpan.Zero }, CancellationToken.None));
        Assert.True(late.Healthy, late.Summary);

        rig.Podman.NotRunningChecks = int.MaxValue;
        var never = await rig.Drive(rig.Health.EvaluateAsync("app.service", Containers, new HealthGateSettings { Soak = TimeSpan.Zero, CheckTimeout = TimeSpan.FromSeconds(4) }, CancellationToken.None));
        Assert.False(never.Healthy);
        Assert.Contains("app is not running (waited 4 s)", never.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_in_the_container_must_exit_zero()
    {
        using var rig = new Rig().WithApp();
        var ok = await rig.Drive(rig.Health.EvaluateAsync("app.service", Containers, new HealthGateSettings { Soak = TimeSpan.Zero, Command = ["true"] }, CancellationToken.None));
        Assert.True(ok.Healthy);
        var bad = await rig.Drive(rig.Health.EvaluateAsync("app.service", Containers, new HealthGateSettings { Soak = TimeSpan.Zero, Command = ["false"], CheckTimeout = TimeSpan.FromSeconds(2) }, CancellationToken.None));
        Assert.False(bad.Healthy);
        Assert.Contains("'false' in app exited 1", bad.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_override_the_gate_and_bad_labels_are_named()
    {
        var errors = new List<string>();
        var settings = new HealthGateSettings().WithLabels(new Dictionary<string, string>
        {
            [HealthLabels.Url] = "http://127.0.0.1:9/health",
            [HealthLabels.Soak] = "5s",
            [HealthLabels.Command] = "wget -q -O- http://127.0.0.1/",
        }, errors);
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Soak);
        Assert.Equal(new Uri("http://127.0.0.1:9/health"), settings.HttpProbe);
        Assert.Equal(["wget", "-q", "-O-", "http://127.0.0.1/"], settings.Command);

        new HealthGateSettings().WithLabels(new Dictionary<string, string> { [HealthLabels.Url] = "ftp://x", [HealthLabels.Timeout] = "2y" }, errors);
        Assert.Equal(2, errors.Count);
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1.5h", 5400)]
    [InlineData("1d", 86400)]
    public void Durations_are_read_as_people_write_them(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("5w")]
    [InlineData("soon")]
    public void Bad_durations_are_refused(string text) => Assert.False(Durations.TryParse(text, out _));
}
