using Microsoft.Extensions.Logging;

namespace UpdateAgent.Hosting;

/// <summary>Log lines for a command run by a person: level and message on standard error.</summary>
internal sealed class StderrLoggerProvider(LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new StderrLogger(minimum);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var word = logLevel switch
            {
                LogLevel.Critical or LogLevel.Error => "error",
                LogLevel.Warning => "warning",
                _ => "info",
            };
            Console.Error.WriteLine($"{word}: {formatter(state, exception)}");
        }
    }
}
