using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using UpdateAgent.Core.Engine;
using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Notifications;

/// <summary>The JSON a webhook receives (generic format).</summary>
/// <param name="Event">updated, refused, rolled back, failed.</param>
/// <param name="Unit">The unit.</param>
/// <param name="Image">Its reference.</param>
/// <param name="FromDigest">What it ran.</param>
/// <param name="ToDigest">The candidate.</param>
/// <param name="Detail">Reasons and findings.</param>
/// <param name="Reasons">Reason codes.</param>
/// <param name="Host">The host's name.</param>
public sealed record WebhookEvent(string Event, string Unit, string Image, string FromDigest, string? ToDigest, string Detail, IReadOnlyList<string> Reasons, string Host);

/// <summary>Slack's incoming-webhook body.</summary>
/// <param name="Text">The message.</param>
public sealed record SlackMessage(string Text);

/// <summary>Source-generated JSON for webhook bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookEvent))]
[JsonSerializable(typeof(SlackMessage))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;

/// <summary>
/// Tells a webhook about refusals, updates, rollbacks and failures. Events are queued and sent by
/// one background loop with a timeout and a few retries, so a slow or dead receiver never blocks
/// or fails an update; what cannot be delivered is logged and dropped.
/// </summary>
public sealed partial class WebhookNotifier : IAsyncDisposable
{
    /// <summary>Attempts per event.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Time one attempt may take.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Events waiting beyond this are dropped (oldest first) rather than held in memory.</summary>
    public const int MaxQueued = 256;

    private readonly Channel<WebhookEvent> _queue = Channel.CreateBounded<WebhookEvent>(new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly bool _slack;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Task _sender;

    /// <summary>Starts the sender loop.</summary>
    public WebhookNotifier(HttpClient http, Uri url, string format, ILogger logger, TimeProvider time)
    {
        _http = http;
        _url = url;
        _slack = format == "slack";
        _logger = logger;
        _time = time;
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>
    /// Queues an event per unit report that is news: updated, restored, rolled back, failed; refused,
    /// unverified and unmanageable only when <paramref name="news"/> has the unit (what changed since the
    /// last check), so a standing condition is told once, not every pass.
    /// </summary>
    public void Notify(PassReport report, IReadOnlySet<string>? news = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var unit in report.Units)
        {
            if (unit.Status is UnitStatus.Updated or UnitStatus.Restored or UnitStatus.RolledBack or UnitStatus.Failed
                || (unit.Status is UnitStatus.Refused or UnitStatus.Unverified or UnitStatus.Unmanageable && (news is null || news.Contains(unit.Unit))))
            {
                _queue.Writer.TryWrite(new WebhookEvent(unit.Status.Word(), unit.Unit, unit.Image, unit.RunningDigest, unit.Candidate, unit.Detail, unit.ReasonCodes, Environment.MachineName));
            }
        }
    }

    /// <summary>The body sent for <paramref name="e"/> in the configured format.</summary>
    public string Body(WebhookEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return _slack
            ? JsonSerializer.Serialize(new SlackMessage($"update-agent on {e.Host}: {e.Unit} {e.Event}: {e.Image} {e.FromDigest} → {e.ToDigest}. {e.Detail}"), WebhookJsonContext.Default.SlackMessage)
            : JsonSerializer.Serialize(e, WebhookJsonContext.Default.WebhookEvent);
    }

    private async Task SendLoopAsync()
    {
        await foreach (var e in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                using var deadline = new CancellationTokenSource(AttemptTimeout, _time);
                try
                {
                    using var content = new StringContent(Body(e), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                    using var response = await _http.PostAsync(_url, content, deadline.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                    Failed(_logger, _url.Host, e.Unit, attempt, $"HTTP {(int)response.StatusCode}");
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                {
                    Failed(_logger, _url.Host, e.Unit, attempt, ex.Message);
                }
                if (attempt < MaxAttempts)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt * 2), _time).ConfigureAwait(false);
                }
            }
        }
    }

    [LoggerMessage(EventId = (int)AgentEvent.WebhookFailed, EventName = nameof(AgentEvent.WebhookFailed), Level = LogLevel.Warning, Message = "webhook {HOST}: could not report {UNIT} (attempt {ATTEMPT}): {REASON}")]
    private static partial void Failed(ILogger logger, string HOST, string UNIT, int ATTEMPT, string REASON);

    /// <summary>Stops taking events and waits briefly for the queue to drain.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_sender, Task.Delay(TimeSpan.FromSeconds(5), _time)).ConfigureAwait(false);
    }
}
