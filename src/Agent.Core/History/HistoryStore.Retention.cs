namespace UpdateAgent.Core.History;

public sealed partial class HistoryStore
{
    // Records finished before the cut lose their steps; those that decide nothing later go whole.
    // Kept: records still in progress; "updated" records, which name the digests a unit moved away
    // from and must never return to on its own (one row per update: they grow slowly); records a
    // ledger entry points at. The ledger, quarantine and holds are decisions, not history.
    private const string PruneStatements = """
        DELETE FROM steps WHERE update_id IN (SELECT id FROM updates WHERE status <> $inProgress AND finished IS NOT NULL AND finished < $before);
        DELETE FROM updates WHERE status NOT IN ($inProgress, $updated) AND finished IS NOT NULL AND finished < $before
            AND id NOT IN (SELECT update_id FROM ledger WHERE update_id IS NOT NULL);
        """;

    /// <summary>
    /// Removes history finished more than <paramref name="keep"/> ago (see the statements for what
    /// stays) in one transaction, then gives the space back to the file system. Returns how many
    /// update records were removed.
    /// </summary>
    public int Prune(TimeSpan keep)
    {
        var before = Format(_time.GetUtcNow() - keep);
        var removed = Atomically(() =>
        {
            var old = Scalar<int>("SELECT count(*) FROM updates WHERE status NOT IN ($inProgress, $updated) AND finished IS NOT NULL AND finished < $before AND id NOT IN (SELECT update_id FROM ledger WHERE update_id IS NOT NULL)",
                ("$inProgress", UnitStatus.InProgress), ("$updated", UnitStatus.Updated), ("$before", before));
            Execute(PruneStatements, ("$inProgress", UnitStatus.InProgress), ("$updated", UnitStatus.Updated), ("$before", before));
            return old;
        });
        if (removed > 0)
        {
            // VACUUM rewrites the file; with WAL it needs no exclusive lock against readers of old snapshots.
            Execute("VACUUM;");
        }
        return removed;
    }
}
