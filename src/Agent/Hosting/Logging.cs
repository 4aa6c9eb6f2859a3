using Microsoft.Extensions.Logging;

namespace UpdateAgent.Hosting;

/// <summary>The daemon's logging: one configuration for the host and for the services built before it.</summary>
internal static class Logging
{
    public static void Configure(ILoggingBuilder builder) =>
        builder.AddSystemdConsole(o => o.UseUtcTimestamp = true).SetMinimumLevel(LogLevel.Information);

    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(Configure);
}
