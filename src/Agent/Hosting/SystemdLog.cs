using UpdateAgent.Core;
using Microsoft.Extensions.Logging;

namespace UpdateAgent.Hosting;

/// <summary>What the daemon logs about its connection to systemd's bus.</summary>
internal static partial class SystemdLog
{
    [LoggerMessage(EventId = (int)AgentEvent.SystemdReconnected, EventName = nameof(AgentEvent.SystemdReconnected), Level = LogLevel.Warning,
        Message = "the connection to systemd's bus at {ADDRESS} was lost ({REASON}); a new one is open")]
    public static partial void Reconnected(ILogger logger, string ADDRESS, string REASON);
}
