using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UpdateAgent.Core.History;

/// <summary>
/// The history and intent journal in SQLite. Every step that changes the host is written before
/// it is taken and after, so a process killed at any point leaves a record that says where it
/// was; recovery reads it on the next start. Also holds quarantined digests, holds and the last
/// check of each unit.
/// </summary>
public sealed partial class HistoryStore : IDisposable
{
    /// <summary>Where the store lives on a host.</summary>
    public const string DefaultPath = "/var/lib/update-agent/history.db";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    private HistoryStore(SqliteConnection connection, string path, TimeProvider time)
    {
        _connection = connection;
        Path = path;
        _time = time;
    }

    /// <summary>The store's file, for messages that must name it.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/>. Throws
    /// <see cref="SystemSqliteMissingException"/> when the system's SQLite is not installed.
    /// </summary>
    public static HistoryStore Open(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SystemSqlite.EnsureLoaded();
        SqliteConnection? connection = null;
        try
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            var store = new HistoryStore(connection, path, time ?? TimeProvider.System);
            // WAL + full sync: a record that was written survives a SIGKILL or power loss right after.
            store.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;");
            // A store that is damaged cannot say what was verified: better to stop than to act on part of it.
            var problems = store.Query("PRAGMA quick_check(3)", r => r.GetString(0));
            if (problems is not ["ok"])
            {
                throw HistoryStoreException.For(path, $"is corrupt ({string.Join("; ", problems.Select(OneLine))})");
            }
            // One transaction: each statement on its own would be a commit, and a sync, of its own.
            store.Execute("BEGIN IMMEDIATE;" + Schema + LedgerSchema + "COMMIT;");
            store.AddLaterColumns();
            return store;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw HistoryStoreException.For(path, $"cannot be opened ({OneLine(e.Message)})", e);
        }
        catch (HistoryStoreException)
        {
            connection?.Dispose();
            throw;
        }
    }

    // Stores from before the journaled state get the column; their open records are recovered from their steps.
    // Ledgers from before signed versions were kept get theirs empty: those entries compare by label only.
    private void AddLaterColumns()
    {
        AddColumn("updates", "state");
        AddColumn("ledger", "signed_version");
    }

    private void AddColumn(string table, string column)
    {
        if (!Query($"PRAGMA table_info({table})", r => r.GetString(1)).Contains(column))
        {
            Execute($"ALTER TABLE {table} ADD COLUMN {column} TEXT");
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS updates (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            unit TEXT NOT NULL, image TEXT NOT NULL,
            from_digest TEXT NOT NULL, to_digest TEXT NOT NULL, previous_image_id TEXT NOT NULL,
            verdict TEXT NOT NULL, signers TEXT NOT NULL, reasons TEXT NOT NULL,
            status TEXT NOT NULL, started TEXT NOT NULL, finished TEXT);
        CREATE INDEX IF NOT EXISTS updates_unit ON updates(unit, id);
        CREATE TABLE IF NOT EXISTS steps (
            update_id INTEGER NOT NULL REFERENCES updates(id),
            step INTEGER NOT NULL, phase TEXT NOT NULL, at TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS steps_update ON steps(update_id);
        CREATE TABLE IF NOT EXISTS quarantine (
            unit TEXT NOT NULL, digest TEXT NOT NULL, reason TEXT NOT NULL, since TEXT NOT NULL,
            PRIMARY KEY (unit, digest));
        CREATE TABLE IF NOT EXISTS holds (unit TEXT PRIMARY KEY, reason TEXT NOT NULL, since TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS unit_checks (
            unit TEXT PRIMARY KEY, image TEXT NOT NULL, running_digest TEXT NOT NULL, remote_digest TEXT,
            status TEXT NOT NULL, detail TEXT NOT NULL, checked_at TEXT NOT NULL);
        """;

    /// <summary>Starts an update record (status <see cref="UnitStatus.InProgress"/>) and returns its ID.</summary>
    public long BeginUpdate(string unit, string image, string fromDigest, string toDigest, string previousImageId, string verdict, string signers, string reasons,
        JournaledState? state = null) =>
        Scalar<long>("""
            INSERT INTO updates (unit, image, from_digest, to_digest, previous_image_id, verdict, signers, reasons, status, started, state)
            VALUES ($unit, $image, $from, $to, $previous, $verdict, $signers, $reasons, $status, $now, $state) RETURNING id
            """, ("$unit", unit), ("$image", image), ("$from", fromDigest), ("$to", toDigest), ("$previous", previousImageId),
            ("$verdict", verdict), ("$signers", signers), ("$reasons", reasons), ("$status", UnitStatus.InProgress), ("$now", Now()),
            ("$state", state?.ToJson()));

    /// <summary>
    /// Starts the record of an accepted update and its pending ledger entry in one transaction, so
    /// no record exists without the digests it is about.
    /// </summary>
    public long BeginPendingUpdate(string unit, string image, string fromDigest, string toDigest, string previousImageId,
        string signers, string reasons, string platformDigest, string summary, string? signedVersion = null) =>
        Atomically(() =>
        {
            var id = BeginUpdate(unit, image, fromDigest, toDigest, previousImageId, "accepted", signers, reasons,
                new JournaledState("Pulling", toDigest, platformDigest, "", IsRestore: false));
            RecordPending(id, unit, image, toDigest, platformDigest, signers, summary, signedVersion);
            return id;
        });

    /// <summary>
    /// How many updates of <paramref name="unit"/> to <paramref name="digest"/> were abandoned
    /// (undone without a verdict) because their health gate could not run: the gate step's outcome
    /// begins with <paramref name="gateFailure"/>. A stop or a crash abandons an update too, but says
    /// nothing of the candidate's gate, so it is not counted.
    /// </summary>
    public int GateFailedAttempts(string unit, string digest, string gateFailure) =>
        Scalar<int>("""
            SELECT count(*) FROM updates u WHERE u.unit = $unit AND u.to_digest = $digest AND u.status = $status
              AND EXISTS (SELECT 1 FROM steps s WHERE s.update_id = u.id AND s.step = $gate AND s.phase = 'outcome'
                AND substr(s.detail, 1, length($prefix)) = $prefix)
            """,
            ("$unit", unit), ("$digest", digest), ("$status", UnitStatus.Abandoned), ("$gate", (int)UpdateStep.HealthGate), ("$prefix", gateFailure));

    /// <summary>Records a refusal (or any outcome reached without touching the host) as a finished row.</summary>
    public long RecordFinished(string unit, string image, string fromDigest, string toDigest, string verdict, string signers, string reasons, UnitStatus status)
    {
        var id = BeginUpdate(unit, image, fromDigest, toDigest, "", verdict, signers, reasons);
        Finish(id, status, null);
        return id;
    }

    /// <summary>Journals that <paramref name="step"/> is about to be taken and, in the same transaction, the state that takes it.</summary>
    public void RecordIntent(long updateId, UpdateStep step, string detail, JournaledState? state = null) => RecordStep(updateId, step, "intent", detail, state);

    /// <summary>Journals what <paramref name="step"/> did and, in the same transaction, the state the update goes to next.</summary>
    public void RecordOutcome(long updateId, UpdateStep step, string detail, JournaledState? next = null) => RecordStep(updateId, step, "outcome", detail, next);

    private void RecordStep(long updateId, UpdateStep step, string phase, string detail, JournaledState? state)
    {
        const string Insert = "INSERT INTO steps (update_id, step, phase, at, detail) VALUES ($id, $step, $phase, $now, $detail);";
        (string, object?)[] values = [("$id", updateId), ("$step", (int)step), ("$phase", phase), ("$now", Now()), ("$detail", detail), ("$state", state?.ToJson())];
        if (state is null)
        {
            Execute(Insert, values);
        }
        else
        {
            ExecuteAtomically(Insert + "UPDATE updates SET state = $state WHERE id = $id;", values);
        }
    }

    /// <summary>Ends an update with a status and, when given, one more reason line.</summary>
    public void Finish(long updateId, UnitStatus status, string? reason) =>
        ExecuteAtomically("""
            UPDATE updates SET status = $status, finished = $now,
                reasons = CASE WHEN $reason IS NULL THEN reasons WHEN reasons = '' THEN $reason ELSE reasons || char(10) || $reason END
            WHERE id = $id;
            """ + SettlePending, ("$id", updateId), ("$status", status), ("$now", Now()), ("$reason", reason));

    /// <summary>Updates that were started and never finished: what recovery must resolve.</summary>
    public IReadOnlyList<UpdateRecord> Unfinished() =>
        QueryUpdates("WHERE u.status = $status ORDER BY u.id", ("$status", UnitStatus.InProgress));

    /// <summary>History, newest first, optionally for one unit and since a time.</summary>
    public IReadOnlyList<UpdateRecord> History(string? unit = null, DateTimeOffset? since = null, int limit = 200) =>
        QueryUpdates("WHERE ($unit IS NULL OR u.unit = $unit) AND ($since IS NULL OR u.started >= $since) ORDER BY u.id DESC LIMIT $limit",
            ("$unit", unit), ("$since", since is { } s ? Format(s) : null), ("$limit", limit));

    /// <summary>One update by ID, or null.</summary>
    public UpdateRecord? Get(long id) => QueryUpdates("WHERE u.id = $id", ("$id", id)).FirstOrDefault();

    /// <summary>The journaled steps of one update, in order.</summary>
    public IReadOnlyList<StepRecord> Steps(long updateId) =>
        Query("SELECT step, phase, at, detail FROM steps WHERE update_id = $id ORDER BY rowid",
            r => new StepRecord((UpdateStep)r.GetInt32(0), r.GetString(1), Parse(r.GetString(2)), r.GetString(3)), ("$id", updateId));

    /// <summary>Digests a unit moved away from in a committed update: it never returns to one on its own.</summary>
    public IReadOnlyCollection<string> ReplacedDigests(string unit) =>
        Query("SELECT DISTINCT from_digest FROM updates WHERE unit = $unit AND status = $status AND from_digest <> ''",
            r => r.GetString(0), ("$unit", unit), ("$status", UnitStatus.Updated)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The digest the unit was last moved to and found healthy, if any.</summary>
    public string? LastCommittedDigest(string unit) =>
        Query("SELECT to_digest FROM updates WHERE unit = $unit AND status = $status ORDER BY id DESC LIMIT 1",
            r => r.GetString(0), ("$unit", unit), ("$status", UnitStatus.Updated)).FirstOrDefault();

    private IReadOnlyList<UpdateRecord> QueryUpdates(string where, params (string, object?)[] parameters) =>
        Query($"""
            SELECT u.id, u.unit, u.image, u.from_digest, u.to_digest, u.previous_image_id, u.verdict, u.signers, u.reasons,
                   u.status, u.started, u.finished, u.state,
                   (SELECT step FROM steps s WHERE s.update_id = u.id ORDER BY rowid DESC LIMIT 1),
                   (SELECT phase FROM steps s WHERE s.update_id = u.id ORDER BY rowid DESC LIMIT 1)
            FROM updates u {where}
            """, r => new UpdateRecord(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.GetString(7), r.GetString(8), UnitStatuses.Parse(r.GetString(9)),
                r.IsDBNull(13) ? null : (UpdateStep)r.GetInt32(13), !r.IsDBNull(14) && r.GetString(14) == "outcome",
                Parse(r.GetString(10)), r.IsDBNull(11) ? null : Parse(r.GetString(11)))
            {
                State = JournaledState.TryParse(r.IsDBNull(12) ? null : r.GetString(12)),
            }, parameters);

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
