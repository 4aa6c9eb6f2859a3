namespace UpdateAgent.Core.Engine;

/// <summary>
/// The one failure rule: any exception inside one unit's work — a port's own failure or a bug —
/// is that unit's failure, and the pass goes on with the others. Only a stop request before the
/// host was changed ends the pass instead (nothing is left to undo).
/// </summary>
internal static class UnitFailure
{
    /// <summary>Whether <paramref name="e"/> ends only the current unit's work (every exception but a stop request).</summary>
    public static bool Ends(Exception e, CancellationToken stopping) => !IsStop(e, stopping);

    /// <summary>Whether <paramref name="e"/> is the agent being asked to stop.</summary>
    public static bool IsStop(Exception e, CancellationToken stopping) => e is OperationCanceledException && stopping.IsCancellationRequested;

    /// <summary>
    /// What went wrong, for a person: a port's failure speaks for itself; the history store's is
    /// named as such (SQLite's own words do not say which file or why it matters); anything else is
    /// named as unexpected, with its type, so a bug is not mistaken for a host problem.
    /// </summary>
    public static string Describe(Exception e) => e switch
    {
        System.Data.Common.DbException => $"the history could not be read or written ({e.Message})",
        IOException or TimeoutException or HttpRequestException or OperationCanceledException => e.Message,
        _ when e.GetType().Namespace?.StartsWith("UpdateAgent.", StringComparison.Ordinal) == true => e.Message,
        _ => $"unexpected {e.GetType().Name}: {e.Message}",
    };
}
