using Tmds.DBus.Protocol;

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
        IDisposable? subscription = null;
        try
        {
            await EnsureSubscribedAsync(deadline.Token).ConfigureAwait(false);
            // Subscribed (the bus has the match) before the job exists: a fast job's JobRemoved can arrive before the reply.
            subscription = await WatchJobRemovedAsync(watch, deadline.Token).ConfigureAwait(false);
            var jobPath = await CallAsync(ManagerCall(method), unit, "replace", SystemdReplies.ObjectPath, deadline.Token, limit).ConfigureAwait(false);
            var finished = watch.Expect(jobPath);
            var disconnected = DisconnectedAsync();
            if (await Task.WhenAny(finished, disconnected).WaitAsync(deadline.Token).ConfigureAwait(false) != finished)
            {
                var reason = await disconnected.ConfigureAwait(false);
                throw new SystemdConnectionException($"connection to systemd lost: {reason?.Message ?? "closed by this process"}", reason);
            }
            var word = await finished.ConfigureAwait(false);
            var state = await GetUnitStateAsync(unit, deadline.Token).ConfigureAwait(false);
            return new JobOutcome(unit, jobPath, JobResults.Parse(word), word, state);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SystemdJobException(unit, $"{method} {unit}: the job did not finish within {limit.TotalSeconds:0.###} s");
        }
        catch (SystemdErrorReplyException e)
        {
            throw new SystemdJobException(unit, $"{method} {unit}: systemd refused: {e.ErrorName}: {e.ErrorMessage}", e);
        }
        catch (SystemdException e)
        {
            throw new SystemdJobException(unit, $"{method} {unit}: {e.Message}", e);
        }
        finally
        {
            subscription?.Dispose();
        }
    }

    private async Task<IDisposable> WatchJobRemovedAsync(JobWatch watch, CancellationToken cancellationToken)
    {
        var rule = new MatchRule
        {
            Type = MessageType.Signal,
            Sender = SystemdNames.Destination,
            Path = SystemdNames.ManagerPath,
            Interface = SystemdNames.ManagerInterface,
            Member = "JobRemoved",
        };
        var adding = _connection.AddMatchAsync(rule, SystemdReplies.JobRemoved, watch.OnJobRemoved, emitOnCapturedContext: false).AsTask();
        try
        {
            return await BoundAsync(adding, $"AddMatch {rule}", CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // An AddMatch given up on may still complete: its observer must not outlive this job.
            _ = adding.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private Task<Exception?> DisconnectedAsync()
    {
        try
        {
            return _connection.DisconnectedAsync();
        }
        catch (ObjectDisposedException e)
        {
            return Task.FromResult<Exception?>(e);
        }
    }
}
