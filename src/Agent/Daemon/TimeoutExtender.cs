using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace UpdateAgent.Daemon;

/// <summary>
/// Asks systemd for more time (<c>EXTEND_TIMEOUT_USEC=</c>) while work that must not be cut short
/// runs: recovery before READY=1 (past <c>TimeoutStartSec=</c>) and the step a stop lets finish or
/// roll back (past <c>TimeoutStopSec=</c>). Each message buys <see cref="Grant"/>; it is repeated at
/// a third of that, so a daemon that hangs still runs out of time.
/// </summary>
internal static class TimeoutExtender
{
    /// <summary>How much time each message asks for.</summary>
    public static readonly TimeSpan Grant = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="work"/>, asking for more time until it ends.</summary>
    public static async Task RunAsync(ISystemdNotifier systemd, TimeProvider time, Func<Task> work)
    {
        var asking = Start(systemd, time);
        await using (asking.ConfigureAwait(false))
        {
            await work().ConfigureAwait(false);
        }
    }

    /// <summary>Starts asking for more time; disposing the handle stops it.</summary>
    public static IAsyncDisposable Start(ISystemdNotifier systemd, TimeProvider time) => new Asking(systemd, time);

    private sealed class Asking : IAsyncDisposable
    {
        private readonly CancellationTokenSource _done = new();
        private readonly Task _loop;

        public Asking(ISystemdNotifier systemd, TimeProvider time) => _loop = AskAsync(systemd, time, _done.Token);

        public async ValueTask DisposeAsync()
        {
            await _done.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _done.Dispose();
        }
    }

    private static async Task AskAsync(ISystemdNotifier systemd, TimeProvider time, CancellationToken done)
    {
        var usec = ((long)Grant.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        while (!done.IsCancellationRequested)
        {
            systemd.Notify(new ServiceState("EXTEND_TIMEOUT_USEC=" + usec));
            try
            {
                await Task.Delay(Grant / 3, time, done).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
