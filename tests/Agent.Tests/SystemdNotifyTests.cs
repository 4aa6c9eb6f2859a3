using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using UpdateAgent.Hosting;

namespace UpdateAgent.Tests;

/// <summary>sd_notify follows NOTIFY_SOCKET, not who the parent process is, and is a no-op without it.</summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task With_a_socket_the_host_says_ready_after_starting_and_stopping_on_stop()
    {
        var notifier = new RecordingNotifier(enabled: true);
        using var host = Build(notifier);
        Assert.IsType<SystemdLifetime>(host.Services.GetRequiredService<IHostLifetime>());
        await host.StartAsync();
        await host.StopAsync();
        Assert.Equal(["READY=1", "STOPPING=1"], notifier.Sent);
    }

    [Fact]
    public async Task Without_a_socket_the_notifier_still_resolves_and_the_console_lifetime_applies()
    {
        var notifier = new RecordingNotifier(enabled: false);
        using var host = Build(notifier);
        Assert.Same(notifier, host.Services.GetRequiredService<ISystemdNotifier>());
        Assert.IsNotType<SystemdLifetime>(host.Services.GetRequiredService<IHostLifetime>());
        await host.StartAsync();
        await host.StopAsync();
        Assert.Empty(notifier.Sent);
    }

    [Fact]
    public async Task A_notify_socket_that_went_away_is_logged_once_and_never_thrown()
    {
        var logger = new ListLogger();
        var notifier = SystemdNotify.Tolerant(new FailingNotifier(), logger);
        using var host = Build(notifier);
        await host.StartAsync();
        notifier.Notify(new ServiceState("STATUS=checking 3 units"));
        await host.StopAsync();
        var entry = Assert.Single(logger.Messages);
        Assert.Contains("READY=1", entry, StringComparison.Ordinal);
        Assert.Contains("Connection refused", entry, StringComparison.Ordinal);
    }

    private static IHost Build(ISystemdNotifier notifier)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSystemdNotify(notifier);
        return builder.Build();
    }

    private sealed class FailingNotifier : ISystemdNotifier
    {
        public bool IsEnabled => true;

        public void Notify(ServiceState state) => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }

    private sealed class RecordingNotifier(bool enabled) : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];

        public bool IsEnabled => enabled;

        public void Notify(ServiceState state) => Sent.Add(state.ToString());
    }
}
