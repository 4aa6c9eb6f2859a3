using UpdateAgent.DBus;
using UpdateAgent.DBus.Protocol;

namespace UpdateAgent.Systemd;

public sealed partial class SystemdManager
{
    /// <summary>
    /// Restarts <paramref name="unit"/> (mode <c>replace</c>) and waits for that job's
    /// <c>JobRemoved</c>. Returns the result and the unit's state afterwards. A job that does not
    /// end within <paramref name="timeout"/>, or a connection lost on the way, throws
    /// <see cref="SystemdJobException"/> naming the unit — never a hang.
    /// </summary>
    public Task<JobOutcome> RestartUnitAndWaitAsync(string unit, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunJobAsync("RestartUnit", unit, timeout, cancellationToken);

    /// <summary>Starts <paramref name="unit"/> and waits for the job, as <see cref="RestartUnitAndWaitAsync"/> does.</summary>
    public Task<JobOutcome> StartUnitAndWaitAsync(string unit, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunJobAsync("StartUnit", unit, timeout, cancellationToken);

    /// <summary>Stops <paramref name="unit"/> and waits for the job, as <see cref="RestartUnitAndWaitAsync"/> does.</summary>
    public Task<JobOutcome> StopUnitAndWaitAsync(string unit, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunJobAsync("StopUnit", unit, timeout, cancellationToken);

    private async Task<JobOutcome> RunJobAsync(string method, string unit, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        var limit = timeout ?? DefaultJobTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var watch = new JobWatch();
        try
        {
            await EnsureSubscribedAsync(deadline.Token).ConfigureAwait(false);
            // Subscribed before the job exists: a fast job's JobRemoved can arrive before the reply.
            await using var subscription = await Connection.SubscribeAsync(new MatchRule
            {
                Sender = SystemdNames.Destination,
                Interface = SystemdNames.ManagerInterface,
                Member = "JobRemoved",
                Path = SystemdNames.ManagerPath,
            }, watch.OnJobRemoved, deadline.Token).ConfigureAwait(false);

            var reply = await CallManagerAsync(method, "ss", [unit, "replace"], deadline.Token, limit).ConfigureAwait(false);
            var jobPath = reply.GetBodyReader().ReadObjectPath().Value;
            var finished = watch.Expect(jobPath);
            var ended = await Task.WhenAny(finished, Connection.Closed.WaitAsync(deadline.Token)).ConfigureAwait(false);
            if (ended != finished)
            {
                await ended.ConfigureAwait(false); // surfaces the deadline as cancellation
                throw new DBusConnectionClosedException($"connection to systemd lost: {Connection.Closed.Result.Message}");
            }
            var word = await finished.ConfigureAwait(false);
            var state = await GetUnitStateAsync(unit, deadline.Token).ConfigureAwait(false);
            return new JobOutcome(unit, jobPath, JobResults.Parse(word), word, state);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SystemdJobException(unit, $"{method} {unit}: the job did not finish within {limit.TotalSeconds:0.###} s");
        }
        catch (TimeoutException e)
        {
            throw new SystemdJobException(unit, $"{method} {unit}: {e.Message}", e);
        }
        catch (DBusConnectionClosedException e)
        {
            throw new SystemdJobException(unit, $"{method} {unit}: {e.Message}", e);
        }
        catch (DBusErrorReplyException e)
        {
            throw new SystemdJobException(unit, $"{method} {unit}: systemd refused: {e.ErrorName}: {e.ErrorMessage}", e);
        }
    }

    /// <summary>Collects JobRemoved results, including those that arrive before the job path is known.</summary>
    private sealed class JobWatch
    {
        private readonly Dictionary<string, string> _early = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource<string> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _jobPath;

        public void OnJobRemoved(Message signal)
        {
            if (signal.Signature != "uoss")
            {
                return;
            }
            var reader = signal.GetBodyReader();
            reader.ReadUInt32();
            var path = reader.ReadObjectPath().Value;
            reader.ReadString();
            var result = reader.ReadString();
            lock (_early)
            {
                if (_jobPath is null)
                {
                    _early[path] = result;
                }
                else if (path == _jobPath)
                {
                    _result.TrySetResult(result);
                }
            }
        }

        public Task<string> Expect(string jobPath)
        {
            lock (_early)
            {
                _jobPath = jobPath;
                if (_early.TryGetValue(jobPath, out var result))
                {
                    _result.TrySetResult(result);
                }
            }
            return _result.Task;
        }
    }
}
