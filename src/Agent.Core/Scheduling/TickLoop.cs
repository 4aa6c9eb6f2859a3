namespace UpdateAgent.Core.Scheduling;

/// <summary>
/// The one loop that runs passes on a <see cref="Schedule"/>. Time comes from the injected
/// <see cref="TimeProvider"/>, so tests advance a fake clock instead of sleeping. A pass that throws
/// is reported and the loop goes on.
/// </summary>
public sealed class TickLoop(Schedule schedule, TimeProvider time, Random random)
{
    /// <summary>Runs <paramref name="pass"/> now and then on schedule until <paramref name="cancellationToken"/> stops it.</summary>
    /// <param name="pass">One pass; gets whether updates may be applied now (inside a window).</param>
    /// <param name="onError">Told about a pass that threw.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public async Task RunAsync(Func<bool, CancellationToken, Task> pass, Action<Exception> onError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(onError);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await pass(schedule.MayUpdate(time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // one failed pass must not end the daemon; it is reported and the next tick comes
            catch (Exception e)
#pragma warning restore CA1031
            {
                onError(e);
            }
            var now = time.GetUtcNow();
            var delay = schedule.Next(now, random.NextDouble()) - now;
            try
            {
                await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
