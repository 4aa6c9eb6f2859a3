using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UpdateAgent.Core.History;

public sealed partial class HistoryStore
{
    private string Now() => Format(_time.GetUtcNow());

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Tests: called with each statement before it runs, to make the store fail at a chosen call.</summary>
    internal Action<string>? BeforeStatement { get; set; }

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        BeforeStatement?.Invoke(sql);
        var command = _connection.CreateCommand();
#pragma warning disable CA2100 // every statement is a constant of this class; values go through parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            // A status is stored as its word, whoever passes it: the store is read by people (sqlite3) and older versions.
            command.Parameters.AddWithValue(name, value is UnitStatus status ? status.Word() : value ?? DBNull.Value);
        }
        return command;
    }

    private void Execute(string sql, params (string, object?)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Runs several statements as one transaction: all of them or, on any error, none.</summary>
    private void ExecuteAtomically(string sql, params (string, object?)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command("BEGIN IMMEDIATE;" + sql + "COMMIT;", parameters);
            try
            {
                command.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // A failed statement leaves the transaction open on this connection; close it so later writes are not swallowed by it.
                if (!_connection.State.HasFlag(System.Data.ConnectionState.Broken))
                {
                    using var rollback = Command("ROLLBACK;", []);
                    try { rollback.ExecuteNonQuery(); } catch (SqliteException) { /* no transaction was open */ }
                }
                throw;
            }
        }
    }

    /// <summary>Runs <paramref name="body"/>'s statements as one transaction.</summary>
    private T Atomically<T>(Func<T> body)
    {
        lock (_gate)
        {
            Execute("BEGIN IMMEDIATE;");
            try
            {
                var result = body();
                Execute("COMMIT;");
                return result;
            }
            catch (Exception)
            {
                // Whatever failed, the transaction must not stay open on this connection.
                using var rollback = Command("ROLLBACK;", []);
                try { rollback.ExecuteNonQuery(); } catch (SqliteException) { /* no transaction was open */ }
                throw;
            }
        }
    }

    private T Scalar<T>(string sql, params (string, object?)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
        }
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string, object?)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(map(reader));
            }
            return rows;
        }
    }
}
