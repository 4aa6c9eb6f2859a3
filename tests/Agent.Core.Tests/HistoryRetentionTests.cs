using Microsoft.Extensions.Time.Testing;
using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Tests;

/// <summary>History is bounded by <c>history_days</c> without forgetting what decides later updates; a damaged store is refused whole.</summary>
public sealed class HistoryRetentionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("update-agent-retention-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private string StorePath => Path.Combine(_directory, "history.db");

    [Fact]
    public void A_ledger_from_before_signed_versions_were_kept_opens_and_keeps_them_from_then_on()
    {
        using (HistoryStore.Open(Path.Combine(_directory, "warm-up.db"), _time))
        {
            // Opening once loads the system SQLite provider the raw connection below needs.
        }
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={StorePath}"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE ledger (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, update_id INTEGER,
                    unit TEXT NOT NULL, image TEXT NOT NULL, digest TEXT NOT NULL, platform_digest TEXT NOT NULL,
                    image_id TEXT NOT NULL, how TEXT NOT NULL, signers TEXT NOT NULL, summary TEXT NOT NULL, at TEXT NOT NULL);
                INSERT INTO ledger (unit, image, digest, platform_digest, image_id, how, signers, summary, at)
                VALUES ('app.service', 'registry.test/app:latest', 'sha256:aa', 'sha256:aa', 'img-a', 'adopted', 'gate', 'ok', '2026-01-01T00:00:00.0000000+00:00');
                """;
            create.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        using var history = HistoryStore.Open(StorePath, _time);
        Assert.Null(history.CurrentVerified("app.service")!.SignedVersion);
        history.RecordVerified(new LedgerEntry("app.service", Rig.App, Rig.New, Rig.New, "img-new", "verified", "gate", "ok", default) { SignedVersion = "2.0.0" });
        Assert.Equal("2.0.0", history.CurrentVerified("app.service")!.SignedVersion);
    }

    [Fact]
    public void Old_finished_records_go_and_committed_updates_in_progress_records_and_decisions_stay()
    {
        using (var history = HistoryStore.Open(StorePath, _time))
        {
            var refused = history.RecordFinished("app.service", Rig.App, Rig.Old, Rig.Bad, "refused", "", "wrong-source", UnitStatus.Refused);
            var committed = history.BeginPendingUpdate("app.service", Rig.App, Rig.Old, Rig.New, "img-old", "gate", "", Rig.New, "accepted");
            history.RecordIntent(committed, UpdateStep.Pull, "pull");
            history.RecordOutcome(committed, UpdateStep.Pull, "image img-new");
            history.Finish(committed, UnitStatus.Updated, "healthy");
            var open = history.BeginUpdate("other.service", Rig.App, Rig.Old, Rig.New, "img-old", "accepted", "", "");
            history.Quarantine("app.service", Rig.Bad, "unhealthy");

            _time.Advance(TimeSpan.FromDays(400));
            var recent = history.RecordFinished("app.service", Rig.App, Rig.New, Rig.Bad, "refused", "", "downgrade", UnitStatus.Refused);

            Assert.Equal(1, history.Prune(TimeSpan.FromDays(365)));
            Assert.Null(history.Get(refused));
            Assert.NotNull(history.Get(recent));
            Assert.Equal(UnitStatus.Updated, history.Get(committed)!.Status);
            Assert.Empty(history.Steps(committed));
            Assert.Contains(Rig.Old, history.ReplacedDigests("app.service"));
            Assert.Equal(open, Assert.Single(history.Unfinished()).Id);
            Assert.True(history.IsQuarantined("app.service", Rig.Bad));
            Assert.Equal(Rig.New, history.CurrentVerified("app.service")!.Digest);
            Assert.Equal(0, history.Prune(TimeSpan.FromDays(365)));
        }
    }

    [Fact]
    public void A_damaged_store_is_refused_with_one_line_that_names_the_file()
    {
        using (var history = HistoryStore.Open(StorePath, _time))
        {
            for (var i = 0; i < 400; i++)
            {
                history.RecordFinished("app.service", Rig.App, Rig.Old, Rig.Bad, "refused", "", new string('r', 200), UnitStatus.Refused);
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Overwrite pages in the middle of the file: the header still says SQLite, the b-tree is broken.
        using (var file = new FileStream(StorePath, FileMode.Open, FileAccess.Write))
        {
            file.Seek(3 * 4096, SeekOrigin.Begin);
            file.Write(Enumerable.Repeat((byte)0xA5, 3 * 4096).ToArray());
        }
        var e = Assert.Throws<HistoryStoreException>(() => HistoryStore.Open(StorePath, _time));
        Assert.StartsWith($"the history store {StorePath} ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
