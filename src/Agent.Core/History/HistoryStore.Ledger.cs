namespace UpdateAgent.Core.History;

public sealed partial class HistoryStore
{
    /// <summary>How a ledger row of an update not yet committed is marked; it never counts as verified-and-running.</summary>
    private const string PendingHow = "pending";

    private const string LedgerSchema = """
        CREATE TABLE IF NOT EXISTS ledger (
            id INTEGER PRIMARY KEY AUTOINCREMENT, update_id INTEGER REFERENCES updates(id),
            unit TEXT NOT NULL, image TEXT NOT NULL, digest TEXT NOT NULL, platform_digest TEXT NOT NULL,
            image_id TEXT NOT NULL, how TEXT NOT NULL, signers TEXT NOT NULL, summary TEXT NOT NULL, at TEXT NOT NULL,
            signed_version TEXT);
        CREATE INDEX IF NOT EXISTS ledger_unit ON ledger(unit, id);
        """;

    // Finishing an update settles its pending ledger row in the same transaction: "updated" makes it
    // current, anything else removes it. So the ledger never names a digest that was not committed.
    private const string SettlePending = """
        UPDATE ledger SET how = $status, at = $now WHERE update_id = $id AND how = 'pending' AND $status = 'updated';
        DELETE FROM ledger WHERE update_id = $id AND how = 'pending';
        """;

    /// <summary>Records (stamped now) that <paramref name="entry"/> is what its unit should run; returns it as stored.</summary>
    public LedgerEntry RecordVerified(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = entry with { At = _time.GetUtcNow() };
        InsertLedger(null, stored);
        return stored;
    }

    /// <summary>Records the ledger entry an update will make current if it commits.</summary>
    public void RecordPending(long updateId, string unit, string image, string digest, string platformDigest, string signers, string summary, string? signedVersion = null) =>
        InsertLedger(updateId, new LedgerEntry(unit, image, digest, platformDigest, "", PendingHow, signers, summary, _time.GetUtcNow()) { SignedVersion = signedVersion });

    /// <summary>Notes the local image an update pulled on its pending ledger entry.</summary>
    public void SetPendingImage(long updateId, string imageId) =>
        Execute("UPDATE ledger SET image_id = $imageId WHERE update_id = $id AND how = 'pending'", ("$id", updateId), ("$imageId", imageId));

    /// <summary>The pending ledger entry of an update, if it has one.</summary>
    public LedgerEntry? Pending(long updateId) =>
        ReadLedger("WHERE update_id = $id AND how = 'pending'", ("$id", updateId)).FirstOrDefault();

    /// <summary>The unit's newest ledger entry — what it should run — or null when it never ran a verified digest.</summary>
    public LedgerEntry? CurrentVerified(string unit) => VerifiedHistory(unit, 1).FirstOrDefault();

    /// <summary>The unit's ledger, newest first (pending entries left out).</summary>
    public IReadOnlyList<LedgerEntry> VerifiedHistory(string unit, int limit = 50) =>
        ReadLedger("WHERE unit = $unit AND how <> 'pending' ORDER BY id DESC LIMIT $limit", ("$unit", unit), ("$limit", limit));

    /// <summary>
    /// The ledger keys under which <paramref name="unit"/>'s verified images are kept now: the unit's
    /// own name, or, when it runs several images, one <c>UNIT/IMAGE</c> key each. Only the keys
    /// written since the unit last changed shape count, so an image it no longer runs (or the
    /// shape it had before) does not speak for it.
    /// </summary>
    public IReadOnlyList<string> LedgerKeysOf(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var newest = Query("""
            SELECT unit, max(id) FROM ledger
            WHERE how <> 'pending' AND (unit = $unit OR substr(unit, 1, length($prefix)) = $prefix)
            GROUP BY unit
            """, r => (Key: r.GetString(0), Newest: r.GetInt64(1)), ("$unit", unit), ("$prefix", unit + "/"));
        var own = newest.FirstOrDefault(k => k.Key == unit).Newest;
        var parts = newest.Where(k => k.Key != unit && k.Newest > own).Select(k => k.Key).Order(StringComparer.Ordinal).ToList();
        return parts.Count > 0 ? parts : own > 0 ? [unit] : [];
    }

    /// <summary>
    /// The local images to keep: for every unit, the images of its last <paramref name="perUnit"/>
    /// distinct verified entries (what it runs and what a rollback or restore would need).
    /// </summary>
    public IReadOnlySet<string> KeptImages(int perUnit) =>
        Query("""
            SELECT image_id FROM (
                SELECT image_id, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY newest DESC) AS rank
                FROM (SELECT unit, image_id, max(id) AS newest FROM ledger WHERE how <> 'pending' AND image_id <> '' GROUP BY unit, image_id))
            WHERE rank <= $keep
            """, r => r.GetString(0), ("$keep", perUnit)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Images the agent moved <paramref name="unit"/> away from, or verified for it: the only ones it may remove.</summary>
    public IReadOnlyList<string> ImagesOf(string unit) =>
        Query("""
            SELECT previous_image_id FROM updates WHERE unit = $unit AND status = 'updated' AND previous_image_id <> ''
            UNION SELECT image_id FROM ledger WHERE unit = $unit AND how <> 'pending' AND image_id <> ''
            """, r => r.GetString(0), ("$unit", unit));

    private void InsertLedger(long? updateId, LedgerEntry entry) =>
        Execute("""
            INSERT INTO ledger (update_id, unit, image, digest, platform_digest, image_id, how, signers, summary, at, signed_version)
            VALUES ($update, $unit, $image, $digest, $platform, $imageId, $how, $signers, $summary, $at, $signedVersion)
            """, ("$update", updateId), ("$unit", entry.Unit), ("$image", entry.Image), ("$digest", entry.Digest), ("$platform", entry.PlatformDigest),
            ("$imageId", entry.ImageId), ("$how", entry.How), ("$signers", entry.Signers), ("$summary", entry.Summary), ("$at", Format(entry.At)),
            ("$signedVersion", entry.SignedVersion));

    private List<LedgerEntry> ReadLedger(string where, params (string, object?)[] parameters) =>
        Query($"SELECT unit, image, digest, platform_digest, image_id, how, signers, summary, at, signed_version FROM ledger {where}",
            r => new LedgerEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.GetString(7), Parse(r.GetString(8))) { SignedVersion = r.IsDBNull(9) ? null : r.GetString(9) }, parameters);
}
