namespace UpdateAgent.Core.History;

public sealed partial class HistoryStore
{
    /// <summary>Quarantines <paramref name="digest"/> for <paramref name="unit"/>: it is never tried again automatically.</summary>
    public void Quarantine(string unit, string digest, string reason) =>
        Execute("INSERT OR REPLACE INTO quarantine (unit, digest, reason, since) VALUES ($unit, $digest, $reason, $now)",
            ("$unit", unit), ("$digest", digest), ("$reason", reason), ("$now", Now()));

    /// <summary>Whether the digest is quarantined for the unit.</summary>
    public bool IsQuarantined(string unit, string digest) =>
        Scalar<long>("SELECT count(*) FROM quarantine WHERE unit = $unit AND digest = $digest", ("$unit", unit), ("$digest", digest)) > 0;

    /// <summary>Releases a quarantined digest; false when it was not quarantined.</summary>
    public bool ReleaseQuarantine(string unit, string digest) =>
        DeleteCount("DELETE FROM quarantine WHERE unit = $unit AND digest = $digest", ("$unit", unit), ("$digest", digest)) > 0;

    /// <summary>Every quarantined digest.</summary>
    public IReadOnlyList<QuarantineEntry> QuarantineList() =>
        Query("SELECT unit, digest, reason, since FROM quarantine ORDER BY unit, since",
            r => new QuarantineEntry(r.GetString(0), r.GetString(1), r.GetString(2), Parse(r.GetString(3))));

    /// <summary>Holds a unit: it is checked and reported but not updated until released.</summary>
    public void Hold(string unit, string reason) =>
        Execute("INSERT OR REPLACE INTO holds (unit, reason, since) VALUES ($unit, $reason, $now)", ("$unit", unit), ("$reason", reason), ("$now", Now()));

    /// <summary>Releases a hold; false when the unit was not held.</summary>
    public bool ReleaseHold(string unit) => DeleteCount("DELETE FROM holds WHERE unit = $unit", ("$unit", unit)) > 0;

    /// <summary>The reason a unit is held, or null.</summary>
    public string? HoldReason(string unit) =>
        Query("SELECT reason FROM holds WHERE unit = $unit", r => r.GetString(0), ("$unit", unit)).FirstOrDefault();

    /// <summary>Records what the last check of a unit found.</summary>
    public void RecordCheck(UnitCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        Execute("""
            INSERT OR REPLACE INTO unit_checks (unit, image, running_digest, remote_digest, status, detail, checked_at)
            VALUES ($unit, $image, $running, $remote, $status, $detail, $at)
            """, ("$unit", check.Unit), ("$image", check.Image), ("$running", check.RunningDigest), ("$remote", check.RemoteDigest),
            ("$status", check.Status), ("$detail", check.Detail), ("$at", Format(check.CheckedAt)));
    }

    /// <summary>The last check of every unit.</summary>
    public IReadOnlyList<UnitCheck> UnitChecks() =>
        Query("SELECT unit, image, running_digest, remote_digest, status, detail, checked_at FROM unit_checks ORDER BY unit",
            r => new UnitCheck(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), UnitStatuses.Parse(r.GetString(4)), r.GetString(5), Parse(r.GetString(6))));

    private int DeleteCount(string sql, params (string, object?)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        }
    }
}
