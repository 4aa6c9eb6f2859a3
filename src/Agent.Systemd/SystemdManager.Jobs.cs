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
            // Subscribed (the bus has the match) before the job exists: a fast job's JobRemoved can arrive before the reply.
            (var link, subscription) = await RepeatableAsync("JobRemoved subscription", async link =>
                (link, await ListenForJobsAsync(link, watch, deadline.Token).ConfigureAwait(false)), deadline.Token).ConfigureAwait(false);
            // Never repeated, even on a new connection: the job may have been queued before the connection went.
            var call = ManagerCall(method);
            var jobPath = await SendAsync(link, call, connection => CreateMessage(connection, call, unit, "replace"), SystemdReplies.ObjectPath, deadline.Token, limit).ConfigureAwait(false);
            var finished = watch.Expect(jobPath);
            if (await Task.WhenAny(finished, link.Disconnected).WaitAsync(deadline.Token).ConfigureAwait(false) != finished)
            {
                var reason = await link.Disconnected.ConfigureAwait(false);
                throw new SystemdConnectionException($"connection to systemd lost: {link.LossReason}", reason);
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

    // Subscribe and the JobRemoved match belong to one connection: the one the job is then queued on.
    private async Task<IDisposable> ListenForJobsAsync(BusLink link, JobWatch watch, CancellationToken cancellationToken)
    {
        await EnsureSubscribedAsync(link, cancellationToken).ConfigureAwait(false);
        return await WatchJobRemovedAsync(link, watch, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IDisposable> WatchJobRemovedAsync(BusLink link, JobWatch watch, CancellationToken cancellationToken)
    {
        var rule = new MatchRule
        {
            Type = MessageType.Signal,
            Sender = SystemdNames.Destination,
            Path = SystemdNames.ManagerPath,
            Interface = SystemdNames.ManagerInterface,
            Member = "JobRemoved",
        };
        var adding = Started(() => link.Connection.AddMatchAsync(rule, SystemdReplies.JobRemoved, watch.OnJobRemoved, emitOnCapturedContext: false).AsTask());
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
}
