using Microsoft.Extensions.Logging;

namespace UpdateAgent.Podman;

/// <summary>The Podman client's log messages.</summary>
internal static partial class PodmanLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information,
        Message = "Podman connection failed during {Action} '{Subject}' ({Reason}); retrying once on a fresh connection")]
    public static partial void Reconnecting(ILogger logger, string action, string subject, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning,
        Message = "Left out of updates: {Subject} (unit {Unit}): {Problem}")]
    public static partial void DiscoveryProblem(ILogger logger, string subject, string? unit, string problem);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information,
        Message = "Pulled {Reference} as image {ImageId}")]
    public static partial void Pulled(ILogger logger, string reference, string imageId);
}
