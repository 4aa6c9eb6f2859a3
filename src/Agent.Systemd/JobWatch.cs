using Tmds.DBus.Protocol;

namespace UpdateAgent.Systemd;

/// <summary>Collects JobRemoved results for one job, including those that arrive before the job path is known.</summary>
internal sealed class JobWatch
{
    private readonly Dictionary<string, string> _early = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<string> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _jobPath;

    /// <summary>Runs on the connection's reader: short, and never throws.</summary>
    public void OnJobRemoved(Notification<JobRemoval?> notification)
    {
        if (!notification.HasValue || notification.Value is not { } removal)
        {
            return;
        }
        lock (_early)
        {
            if (_jobPath is null)
            {
                _early[removal.JobPath] = removal.Result;
            }
            else if (removal.JobPath == _jobPath)
            {
                _result.TrySetResult(removal.Result);
            }
        }
    }

    /// <summary>The result of <paramref name="jobPath"/>, at once if it already ended.</summary>
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
