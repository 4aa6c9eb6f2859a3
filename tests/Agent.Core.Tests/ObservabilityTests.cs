using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Notifications;
using UpdateAgent.Core.Observability;

namespace UpdateAgent.Core.Tests;

/// <summary>Metrics in Prometheus text and the webhook: what is sent, retries, and never blocking an update.</summary>
public sealed class ObservabilityTests
{
    private static PassReport Report(params (string Unit, UnitStatus Status, string[] Codes)[] units) =>
        new(units.Select(u => new UnitReport(u.Unit, "r/app:latest", "sha256:old", "sha256:new", u.Status, "detail", u.Codes, "ci")).ToList(), 1, TimeSpan.FromSeconds(1.5));

    [Fact]
    public void Every_status_has_its_own_word_that_reads_back_and_a_series_in_the_metrics()
    {
        var words = UnitStatuses.All.Select(s => s.Word()).ToList();
        Assert.Equal(words.Count, words.Distinct(StringComparer.Ordinal).Count());
        Assert.All(UnitStatuses.All, s => Assert.Equal(s, UnitStatuses.Parse(s.Word())));
        Assert.Throws<HistoryStoreException>(() => UnitStatuses.Parse("exploded"));

        var metrics = new AgentMetrics();
        metrics.Record(Report(("a", UnitStatus.Abandoned, [])), DateTimeOffset.FromUnixTimeSeconds(1000));
        var text = metrics.Render(quarantined: 0);
        Assert.Contains("update_agent_abandoned_total 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_units{status=\"abandoned\"} 1", text, StringComparison.Ordinal);
        foreach (var status in UnitStatuses.All.Where(s => s != UnitStatus.InProgress))
        {
            Assert.Contains($"update_agent_units{{status=\"{status.Word()}\"}}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Metrics_count_updates_rollbacks_failures_and_refusals_by_reason()
    {
        var metrics = new AgentMetrics();
        metrics.Record(Report(("a", UnitStatus.Updated, []), ("b", UnitStatus.Refused, ["wrong-source", "not-blessed"]), ("c", UnitStatus.RolledBack, [])), DateTimeOffset.FromUnixTimeSeconds(1000));
        metrics.Record(Report(("b", UnitStatus.Refused, ["wrong-source"]), ("d", UnitStatus.Failed, [])), DateTimeOffset.FromUnixTimeSeconds(2000));
        var text = metrics.Render(quarantined: 1);
        Assert.Contains("update_agent_passes_total 2", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_checks_total 5", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_updates_total 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_rollbacks_total 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_failures_total 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_refusals_total{reason=\"wrong-source\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_refusals_total{reason=\"not-blessed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_quarantined_digests 1", text, StringComparison.Ordinal);
        // The second pass had a failure: the last successful pass is still the first.
        Assert.Contains("update_agent_last_successful_pass_timestamp_seconds 1000", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_last_pass_duration_seconds 1.5", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_show_units_that_run_what_was_not_verified_and_count_restores()
    {
        var metrics = new AgentMetrics();
        metrics.Record(Report(("a", UnitStatus.Unverified, []), ("b", UnitStatus.Unmanageable, []), ("c", UnitStatus.Restored, [])), DateTimeOffset.FromUnixTimeSeconds(1000));
        var text = metrics.Render(quarantined: 0);
        Assert.Contains("update_agent_unverified_units 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_unmanageable_units 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_restores_total 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_units{status=\"unverified\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("update_agent_units{status=\"restored\"} 1", text, StringComparison.Ordinal);
        // A gauge: a later pass where all is verified clears it.
        metrics.Record(Report(("a", UnitStatus.UpToDate, [])), DateTimeOffset.FromUnixTimeSeconds(2000));
        Assert.Contains("update_agent_unverified_units 0", metrics.Render(quarantined: 0), StringComparison.Ordinal);
    }

    [Fact]
    public void The_textfile_is_replaced_whole()
    {
        var directory = Directory.CreateTempSubdirectory("update-agent-metrics-").FullName;
        try
        {
            new AgentMetrics().WriteTextfile(directory, 0);
            Assert.Equal(["update_agent.prom"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_webhook_gets_news_only_and_a_failing_receiver_is_retried_without_blocking()
    {
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var http = new HttpClient(handler);
        var time = new FakeTimeProvider();
        var notifier = new WebhookNotifier(http, new Uri("https://hooks.example/x"), "generic", NullLogger.Instance, time);
        notifier.Notify(Report(("a", UnitStatus.Updated, []), ("b", UnitStatus.UpToDate, []), ("c", UnitStatus.Refused, ["downgrade"])), news: new HashSet<string>());
        // Notify returned at once although the receiver failed: sending happens in the background.
        for (var i = 0; i < 200 && handler.Bodies.Count < 2; i++)
        {
            await Task.Yield();
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }
        Assert.Equal(2, handler.Bodies.Count); // one failed attempt, one retry; nothing for "up to date" or the old refusal
        Assert.All(handler.Bodies, b => Assert.Contains("\"event\":\"updated\"", b, StringComparison.Ordinal));
        Assert.Contains("\"unit\":\"a\"", handler.Bodies[0], StringComparison.Ordinal);
        await notifier.DisposeAsync();
    }

    [Fact]
    public async Task The_slack_format_is_one_text_line()
    {
        using var http = new HttpClient();
        var notifier = new WebhookNotifier(http, new Uri("https://hooks.example/x"), "slack", NullLogger.Instance, TimeProvider.System);
        var body = notifier.Body(new WebhookEvent("rolled back", "web.service", "r/web:latest", "sha256:a", "sha256:b", "health gate failed", [], "host1"));
        Assert.StartsWith("{\"text\":\"update-agent on host1: web.service rolled back", body, StringComparison.Ordinal);
        await notifier.DisposeAsync();
    }

    private sealed class RecordingHandler(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        private int _calls;

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            lock (Bodies)
            {
                Bodies.Add(body);
            }
            var status = answers[Math.Min(Interlocked.Increment(ref _calls) - 1, answers.Length - 1)];
            return new HttpResponseMessage(status);
        }
    }
}
